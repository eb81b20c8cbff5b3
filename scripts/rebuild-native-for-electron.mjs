console.log('noop')
