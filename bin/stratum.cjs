#!/usr/bin/env node
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const cli = join(__dirname, '..', 'dist', 'main', 'cli.cjs');
if (!existsSync(cli)) {
  process.stderr.write('stratum: the CLI is not built yet. Run `npm run build` (npm install does it for you).\n');
  process.exit(2);
}
require(cli);
