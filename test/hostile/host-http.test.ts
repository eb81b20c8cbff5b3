import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMain, get, rawRequest, ROOT, startServe, type ServedHost } from './host-harness';

// Issue 13 item 1: one unauthenticated request (`GET /%`) ended `stratum serve` with an uncaught URIError.
let home: string;
let host: ServedHost;
beforeAll(async () => {
  buildMain();
  home = mkdtempSync(join(tmpdir(), 'stratum-host-http-'));
  host = await startServe(home);
}, 120_000);
afterAll(async () => {
  await host?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('stratum serve answers malformed HTTP with a status and stays up', () => {
  const targets: [string, string, number][] = [
    ['a lone percent sign', '/%', 400],
    ['a truncated UTF-8 escape', '/%E0%A4%A', 400],
    ['an invalid escape', '/index.html%zz', 400],
    ['an encoded NUL', '/index.html%00.png', 400],
    ['a raw dot-dot climb', '/../../../../etc/passwd', 400],
    ['an encoded dot-dot climb', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', 400],
    ['an encoded slash climb', '/assets/..%2F..%2Fpackage.json', 400],
    ['a backslash climb', '/..\\..\\package.json', 400],
    ['an absolute URL', 'http://127.0.0.1/index.html', 400],
    ['a protocol-relative target', '//evil.example/index.html', 400],
    ['an overlong target', `/${'a'.repeat(5000)}`, 414],
    ['a missing file', '/no-such-file.js', 404],
    ['the assets folder itself', '/assets', 404],
  ];
  it.each(targets)('%s', async (_name, target, status) => {
    const r = await get(host.port, target);
    expect(r.status, r.text.slice(0, 200)).toBe(status);
    expect(host.alive(), host.stderr()).toBe(true);
  });

  it('refuses methods other than GET and HEAD (405), unknown methods, raw NUL, huge headers and foreign hosts', async () => {
    const at = (method: string) => `${method} / HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nConnection: close\r\n\r\n`;
    expect((await rawRequest(host.port, at('DELETE'))).status).toBe(405);
    expect((await rawRequest(host.port, at('POST'))).text).toMatch(/allow: GET, HEAD/i);
    expect((await rawRequest(host.port, at('FROBNICATE'))).status).toBe(400);
    expect((await rawRequest(host.port, `GET /\0 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`)).status).toBe(400);
    expect((await rawRequest(host.port, `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'x'.repeat(64 * 1024)}\r\n\r\n`)).status).toBe(431);
    expect((await rawRequest(host.port, 'GET / HTTP/1.1\r\nConnection: close\r\n\r\n')).status).toBe(400); // no Host
    expect((await rawRequest(host.port, `GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n`)).status).toBe(421);
    expect((await rawRequest(host.port, 'CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n')).status).toBe(405);
    expect((await rawRequest(host.port, '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03')).closed).toBe(true); // a TLS hello
    expect(host.alive(), host.stderr()).toBe(true);
  });

  it('refuses hostile WebSocket upgrades with a status, including a token of multi-byte characters', async () => {
    const upgrade = (target: string) =>
      `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nOrigin: ${host.origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`;
    // As long as the secret in characters once decoded, longer in bytes: timingSafeEqual threw on it.
    expect((await rawRequest(host.port, upgrade(`/ipc?token=${'%C3%A9'.repeat(host.secret.length)}`))).status).toBe(401);
    expect((await rawRequest(host.port, upgrade('/ipc?token=%'))).status).toBe(401);
    expect((await rawRequest(host.port, upgrade('//'))).status).toBe(401);
    expect((await rawRequest(host.port, upgrade('http://[::1'))).status).toBe(401);
    expect((await rawRequest(host.port, upgrade(`/ipc?token=${host.secret}`).replace('Sec-WebSocket-Version: 13', 'Sec-WebSocket-Version: 99'))).status).toBe(400);
    expect(host.alive(), host.stderr()).toBe(true);
  });

  it('still serves the app afterwards', async () => {
    const index = await get(host.port, '/');
    expect(index.status).toBe(200);
    expect(index.text).toContain('<div id="app"');
    const asset = readdirSync(join(ROOT, 'dist', 'renderer', 'assets'))[0]!;
    expect((await get(host.port, `/assets/${asset}?v=1`)).status).toBe(200);
    const head = await rawRequest(host.port, `HEAD /index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
    expect(head.status).toBe(200);
    expect(head.text).toMatch(/content-security-policy/i);
  });
});
