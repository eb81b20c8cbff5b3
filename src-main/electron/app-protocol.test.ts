import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src-shared/security';
import { APP_ENTRY_URL, APP_ORIGIN, APP_SCHEME_PRIVILEGES, createAppProtocolHandler, isAppOriginUrl } from './app-protocol';

const get = (url: string, method = 'GET') => new Request(url, { method });

describe('the app:// scheme', () => {
  it('is privileged as standard and secure, and never bypasses the CSP', () => {
    expect(APP_SCHEME_PRIVILEGES.scheme).toBe('app');
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true, bypassCSP: false, allowServiceWorkers: false });
    expect(APP_ENTRY_URL).toBe('app://stratum/index.html');
  });

  it.each([
    ['app://stratum/index.html', true],
    ['app://STRATUM/assets/x.js', true],
    ['app://stratum', true],
    ['app://evil/index.html', false],
    ['app://stratum.evil/index.html', false],
    ['app://user:pw@stratum/index.html', false],
    ['app://stratum:8080/index.html', false],
    ['app:stratum/index.html', false],
    ['file:///work/dist/renderer/index.html', false],
    ['http://stratum/index.html', false],
    ['https://stratum/', false],
    ['not a url', false],
  ])('%s is the app origin: %s', (url, expected) => {
    expect(isAppOriginUrl(url)).toBe(expected);
  });
});

describe('the app:// protocol handler on a real folder', () => {
  let base: string;
  let handler: (request: Request) => Promise<Response>;

  beforeAll(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'stratum-app-protocol-')));
    const root = join(base, 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Stratum</title>');
    writeFileSync(join(root, 'assets', 'app.js'), 'export const x = 1;');
    writeFileSync(join(base, 'patients.csv'), 'P1,Doe,1950-01-01');
    symlinkSync(join(base, 'patients.csv'), join(root, 'assets', 'leak.js'));
    handler = createAppProtocolHandler(root);
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('serves index.html for the origin and its entry URL, with the CSP and nosniff', async () => {
    for (const url of [APP_ORIGIN, `${APP_ORIGIN}/`, APP_ENTRY_URL]) {
      const response = await handler(get(url));
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await response.text()).toBe('<!doctype html><title>Stratum</title>');
    }
  });

  it('serves a module script as JavaScript; HEAD answers headers only', async () => {
    const response = await handler(get(`${APP_ORIGIN}/assets/app.js?v=2`));
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await response.text()).toBe('export const x = 1;');
    const head = await handler(get(`${APP_ORIGIN}/assets/app.js`, 'HEAD'));
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('19');
    expect(await head.text()).toBe('');
  });

  it.each([
    ['app://stratum/%', 400],
    ['app://stratum/%E0%A4%A', 400],
    ['app://stratum/..%2f..%2fpatients.csv', 400],
    ['app://stratum/assets/..%5c..%5cpatients.csv', 400],
    ['app://stratum/a%00.js', 400],
    ['app://stratum/assets/leak.js', 404],
    ['app://stratum/assets', 404],
    ['app://stratum/.env', 404],
    ['app://stratum/missing.js', 404],
    ['app://other/index.html', 404],
    ['app://stratum:99/index.html', 404],
    [`app://stratum/${'x'.repeat(3000)}`, 414],
  ])('%s -> %i, with the CSP on the error too and nothing of the file', async (url, status) => {
    const response = await handler(get(url));
    expect(response.status).toBe(status);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).not.toContain('Doe');
  });

  it('answers anything but GET and HEAD with 405', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const response = await handler(get(APP_ENTRY_URL, method));
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
    }
  });

  it('answers 500 without a path when the renderer folder is missing, and recovers once it exists', async () => {
    const later = join(base, 'built-later');
    const lateHandler = createAppProtocolHandler(later);
    const missing = await lateHandler(get(APP_ENTRY_URL));
    expect(missing.status).toBe(500);
    expect(await missing.text()).not.toContain(base);
    mkdirSync(later);
    writeFileSync(join(later, 'index.html'), 'ok');
    expect((await lateHandler(get(APP_ENTRY_URL))).status).toBe(200);
  });
});

describe('the built renderer under app://', () => {
  const distRenderer = resolve(__dirname, '..', '..', 'dist', 'renderer');

  it('loads every script and stylesheet index.html names, each with the type the browser requires', async () => {
    expect(existsSync(join(distRenderer, 'index.html')), 'dist/renderer is missing: run npm run build:renderer').toBe(true);
    const html = readFileSync(join(distRenderer, 'index.html'), 'utf8');
    const references = [...html.matchAll(/<(script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)].map((m) => ({ tag: m[1], href: m[2] ?? '' }));
    expect(references.filter((r) => r.tag === 'script').length).toBeGreaterThan(0);
    const handler = createAppProtocolHandler(distRenderer);
    for (const { tag, href } of references) {
      // Resolved as the page resolves it (vite base './': relative to app://stratum/index.html),
      // which is also how http://127.0.0.1:<port>/ resolves it for the Node host.
      const url = new URL(href, APP_ENTRY_URL).toString();
      expect(url.startsWith(`${APP_ORIGIN}/`), href).toBe(true);
      const response = await handler(get(url));
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-type'), url).toBe(tag === 'script' ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8');
      expect(new URL(href, 'http://127.0.0.1:4321/').pathname, href).toBe(new URL(url).pathname);
    }
  });
});
