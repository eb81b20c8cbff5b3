import { chromium, type Browser } from '@playwright/test';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RENDERER_RESPONSE_HEADERS } from '../../src-shared/security';

/**
 * The renderer CSP (src-shared/security.ts) enforced by a real Chromium, on a loopback page as the
 * Node host serves it. The Electron shell sends the same header from app://stratum; its 'self' is
 * then that origin, which cannot be run here (no Electron binary).
 */
const CHROMIUM = process.env.STRATUM_CHROMIUM ?? '/usr/bin/chromium';

/** Each probe resolves to what happened: 'allowed' or 'blocked'. Served as a file: script-src 'self' allows it. */
const PROBE_SCRIPT = `
const results = {};
const ws = (url) => new Promise((done) => {
  try { const s = new WebSocket(url); s.onmessage = () => done('allowed'); s.onerror = () => done('blocked'); } catch { done('blocked'); }
  setTimeout(() => done('blocked'), 4000);
});
const fetched = (url) => fetch(url).then(() => 'allowed', () => 'blocked');
const image = (url) => new Promise((done) => { const i = new Image(); i.onload = () => done('allowed'); i.onerror = () => done('blocked'); i.src = url; });
window.probes = (async () => {
  results.sameOriginSocket = await ws('ws://' + location.host + '/ipc');
  results.otherLoopbackPortSocket = await ws('ws://127.0.0.1:' + window.OTHER_PORT + '/');
  results.localhostOtherPortSocket = await ws('ws://localhost:' + window.OTHER_PORT + '/');
  results.otherLoopbackPortFetch = await fetched('http://127.0.0.1:' + window.OTHER_PORT + '/x');
  results.sameOriginFetch = await fetched('/probe.js');
  results.otherLoopbackPortImage = await image('http://127.0.0.1:' + window.OTHER_PORT + '/x.png');
  results.dataImage = await image('data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7');
  try { eval('1'); results.eval = 'allowed'; } catch { results.eval = 'blocked'; }
  try { new Function('return 1')(); results.newFunction = 'allowed'; } catch { results.newFunction = 'blocked'; }
  results.worker = await new Promise((done) => {
    try { const w = new Worker('/worker.js'); w.onmessage = () => done('allowed'); w.onerror = () => done('blocked'); } catch { done('blocked'); }
    setTimeout(() => done('blocked'), 4000);
  });
  results.inlineScript = window.inlineRan ? 'allowed' : 'blocked';
  return results;
})();
`;

const PAGE = (otherPort: number) =>
  `<!doctype html><title>csp</title><script>window.inlineRan = true;</script>` +
  `<script src="/config.js?port=${otherPort}"></script><script src="/probe.js"></script>`;

describe.skipIf(!existsSync(CHROMIUM))('the renderer CSP in Chromium', () => {
  let app: Server;
  let other: Server;
  let browser: Browser;
  let results: Record<string, string>;

  beforeAll(async () => {
    // Another loopback service (as any local dev server or database UI would be): the page must not reach it.
    other = createServer((_req, res) => res.writeHead(200, { 'access-control-allow-origin': '*' }).end('other'));
    new WebSocketServer({ server: other }).on('connection', (socket) => socket.send('other'));
    await new Promise<void>((done) => other.listen(0, '127.0.0.1', done));
    const otherPort = (other.address() as AddressInfo).port;

    app = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      const scripts: Record<string, string> = { '/probe.js': PROBE_SCRIPT, '/config.js': `window.OTHER_PORT = ${otherPort};`, '/worker.js': "postMessage('ran');" };
      const body = scripts[path ?? ''] ?? PAGE(otherPort);
      const type = path?.endsWith('.js') ? 'text/javascript' : 'text/html';
      res.writeHead(200, { ...RENDERER_RESPONSE_HEADERS, 'content-type': type }).end(body);
    });
    new WebSocketServer({ server: app, path: '/ipc' }).on('connection', (socket) => socket.send('host'));
    await new Promise<void>((done) => app.listen(0, '127.0.0.1', done));

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(app.address() as AddressInfo).port}/`);
    results = await page.evaluate(() => (globalThis as unknown as { probes: Promise<Record<string, string>> }).probes);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    app?.close();
    other?.close();
  });

  it('lets the page reach its own host: the ipc socket, its files, data: images', () => {
    expect(results).toMatchObject({ sameOriginSocket: 'allowed', sameOriginFetch: 'allowed', dataImage: 'allowed' });
  });

  it('keeps the page off every other loopback port (socket, fetch, image)', () => {
    expect(results).toMatchObject({
      otherLoopbackPortSocket: 'blocked',
      localhostOtherPortSocket: 'blocked',
      otherLoopbackPortFetch: 'blocked',
      otherLoopbackPortImage: 'blocked',
    });
  });

  it('runs no eval, no Function constructor, no inline script and no worker', () => {
    expect(results).toMatchObject({ eval: 'blocked', newFunction: 'blocked', inlineScript: 'blocked', worker: 'blocked' });
  });
});
