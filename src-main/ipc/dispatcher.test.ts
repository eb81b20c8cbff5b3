import { describe, expect, it } from 'vitest';
import { AppError } from '../../src-shared/contract';
import { createDispatcher, type Handlers } from './dispatcher';

const calls: string[] = [];
const handlers = new Proxy({} as Handlers, {
  get: (_t, channel: string) => async (request: unknown) => {
    calls.push(channel);
    if (channel === 'jobs.get') throw new AppError('NOT_FOUND', 'No job with id x', { jobId: 'x' });
    if (channel === 'jobs.list') throw new Error('boom');
    return { echoed: request };
  },
});
const dispatch = createDispatcher(handlers);

describe('dispatcher', () => {
  it('parses the request before the handler runs and passes the parsed value', async () => {
    expect(await dispatch('jobs.cancel', { jobId: 'abc' })).toEqual({ ok: true, value: { echoed: { jobId: 'abc' } } });
  });

  it('rejects a malformed payload with VALIDATION and the issue path, without calling the handler', async () => {
    calls.length = 0;
    const result = await dispatch('jobs.cancel', { jobId: 42, extra: true });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('VALIDATION');
    expect(JSON.stringify(result.error.details)).toContain('jobId');
    expect(calls).toEqual([]);
  });

  it('rejects unknown channels, including prototype names', async () => {
    for (const name of ['nope', '__proto__', 'constructor', 42]) {
      const result = await dispatch(name, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    }
  });

  it('turns service errors into {code, message, details} and hides internal stacks', async () => {
    expect(await dispatch('jobs.get', { jobId: 'x' })).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'No job with id x', details: { jobId: 'x' } } });
    const internal = await dispatch('jobs.list', {});
    expect(internal).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(internal)).not.toContain('at ');
  });
});
