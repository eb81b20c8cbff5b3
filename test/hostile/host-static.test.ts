import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeHost, type RunningHost } from '../../src-main/host/ws-host';
import { createDispatcher } from '../../src-main/ipc/dispatcher';
import { createHandlers } from '../../src-main/ipc/handlers';
import { createServices, type Services } from '../../src-main/services/container';
import { get } from './host-harness';

// Issue 13 item 8: the static server followed symlinks out of dist/renderer.
let dir: string;
let services: Services;
let host: RunningHost;
const SECRET_TEXT = 'outside the renderer folder';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stratum-host-static-'));
  const renderer = join(dir, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><div id="app"></div>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'outside.txt'), SECRET_TEXT);
  symlinkSync(join(dir, 'outside.txt'), join(renderer, 'leak.txt')); // a file link out
  symlinkSync(dir, join(renderer, 'up')); // a folder link out
  symlinkSync('/etc', join(renderer, 'etc'));
  symlinkSync(join(renderer, 'assets', 'app.js'), join(renderer, 'alias.js')); // a link that stays inside
  symlinkSync(join(renderer, 'missing'), join(renderer, 'dangling.js'));
  symlinkSync(join(renderer, 'loop.js'), join(renderer, 'loop.js'));
  execFileSync('mkfifo', [join(renderer, 'pipe.js')]);
  services = createServices({ home: join(dir, 'home'), host: 'node' });
  host = await startNodeHost({ dispatch: createDispatcher(createHandlers(services)), bus: services.bus, rendererDir: renderer });
});
afterAll(async () => {
  await host?.close();
  await services?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the static server serves regular files inside the renderer folder only', () => {
  it.each([
    ['a file symlink pointing out', '/leak.txt'],
    ['a folder symlink pointing out', '/up/outside.txt'],
    ['a symlink to /etc', '/etc/passwd'],
    ['a dangling symlink', '/dangling.js'],
    ['a symlink loop', '/loop.js'],
    ['a FIFO (would block a reader)', '/pipe.js'],
    ['a directory', '/assets'],
    ['a directory with a trailing slash', '/assets/'],
  ])('%s: 404', async (_name, target) => {
    const r = await get(host.port, target);
    expect(r.status).toBe(404);
    expect(r.text).not.toContain(SECRET_TEXT);
    expect(r.text).not.toContain('root:');
  });

  it('serves the app, and a symlink that stays inside the folder', async () => {
    expect((await get(host.port, '/')).text).toContain('<div id="app"></div>');
    const alias = await get(host.port, '/alias.js');
    expect(alias.status).toBe(200);
    expect(alias.text).toContain('console.log(1)');
    expect(alias.text).toMatch(/content-type: text\/javascript/i);
  });
});
