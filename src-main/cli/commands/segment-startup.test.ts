import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { haveSharedData, sharedData } from '../../../test-support/shared-data';
import { packageRoot } from '../../resources';

const root = packageRoot();
const cli = join(root, 'bin', 'stratum.cjs');
const built = existsSync(join(root, 'dist', 'main', 'cli.cjs')) && existsSync(join(root, 'dist', 'main', 'workers', 'inference.worker.cjs'));
const image = sharedData('octid-unannotated', 'NORMAL', 'NORMAL26.jpeg');
const dir = mkdtempSync(join(tmpdir(), 'stratum-segment-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Preloaded into the CLI process: writes, in order, when the inference worker is started and when sharp is first loaded. */
const RECORDER = `
const Module = require('node:module');
const wt = require('node:worker_threads');
const fs = require('node:fs');
const events = [];
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === 'sharp' && !events.includes('sharp')) events.push('sharp');
  return load.call(this, request, ...rest);
};
const Worker = wt.Worker;
wt.Worker = class extends Worker {
  constructor(file, ...rest) {
    if (String(file).includes('inference.worker')) events.push('inference worker');
    super(file, ...rest);
  }
};
process.on('exit', () => fs.writeFileSync(process.env.STRATUM_TEST_EVENTS, JSON.stringify(events)));
`;

describe.skipIf(!built || !haveSharedData('octid-unannotated', 'NORMAL', 'NORMAL26.jpeg'))('a cold `stratum segment`', () => {
  it('starts the inference worker (the model load) before it loads sharp, so the two overlap', () => {
    const recorder = join(dir, 'recorder.cjs');
    const eventsFile = join(dir, 'events.json');
    writeFileSync(recorder, RECORDER);
    const r = spawnSync(process.execPath, ['-r', recorder, cli, 'segment', image, '--out', join(dir, 'out'), '--json'], {
      encoding: 'utf8',
      env: { ...process.env, STRATUM_HOME: join(dir, 'home'), STRATUM_TEST_EVENTS: eventsFile },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(eventsFile, 'utf8'))).toEqual(['inference worker', 'sharp']);
    expect(existsSync(join(dir, 'out', 'NORMAL26.png'))).toBe(true);
  });
});
