import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentTypeFor, MAX_REQUEST_PATH_LENGTH, parseRequestPath, resolveInside } from './safe-path';

describe('parseRequestPath', () => {
  it('maps ordinary paths, the root and query strings to a relative path', () => {
    expect(parseRequestPath('/')).toEqual({ ok: true, relative: 'index.html' });
    expect(parseRequestPath('/index.html')).toEqual({ ok: true, relative: 'index.html' });
    expect(parseRequestPath('/assets/index-DYLGo62g.js?v=3#x')).toEqual({ ok: true, relative: 'assets/index-DYLGo62g.js' });
    expect(parseRequestPath('/assets/./a%20b.css')).toEqual({ ok: true, relative: 'assets/a b.css' });
  });

  it.each([
    ['/%', 'malformed'],
    ['/%E0%A4%A', 'malformed'],
    ['/%ZZ', 'malformed'],
    ['/../etc/passwd', 'climbs'],
    ['/assets/../../etc/passwd', 'climbs'],
    ['/%2e%2e/etc/passwd', 'climbs'],
    ['/..%2f..%2fetc%2fpasswd', 'climbs'],
    ['/assets/%2E%2E/%2E%2E/secret', 'climbs'],
    ['/..', 'climbs'],
    ['/a%00.html', 'control'],
    ['/index.html%00.png', 'control'],
    ['/a%0d%0aSet-Cookie:x', 'control'],
    ['/..%5c..%5cwindows%5cwin.ini', 'backslash'],
    ['/assets\\..\\..\\x', 'backslash'],
    ['/C:%2fWindows%2fwin.ini', 'colon'],
    ['/index.html::$DATA', 'colon'],
    ['//evil.example/x', 'one "/"'],
    ['http://127.0.0.1/index.html', 'one "/"'],
    ['*', 'one "/"'],
    ['', 'one "/"'],
    ['index.html', 'one "/"'],
  ])('refuses %j with 400 (%s) and no lookup', (target, why) => {
    const result = parseRequestPath(target);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.status).toBe(400);
      expect(result.reason).toContain(why);
    }
  });

  it('answers 414 for a path longer than any file of the build', () => {
    const result = parseRequestPath(`/${'a'.repeat(MAX_REQUEST_PATH_LENGTH)}`);
    expect(result).toMatchObject({ ok: false, status: 414 });
  });

  it('never serves hidden names (.git, .env) and treats double encoding as a literal name', () => {
    expect(parseRequestPath('/.env')).toMatchObject({ ok: false, status: 404 });
    expect(parseRequestPath('/assets/.git/config')).toMatchObject({ ok: false, status: 404 });
    // %252e%252e decodes once to the literal name "%2e%2e": a file that does not exist, not a parent folder.
    expect(parseRequestPath('/%252e%252e/x')).toEqual({ ok: true, relative: '%2e%2e/x' });
  });

  it('does not throw on any single byte, encoded or raw', () => {
    for (let byte = 0; byte < 256; byte++) {
      const encoded = `%${byte.toString(16).padStart(2, '0')}`;
      expect(() => parseRequestPath(`/x${encoded}y`)).not.toThrow();
      expect(() => parseRequestPath(`/x${String.fromCharCode(byte)}y`)).not.toThrow();
    }
  });
});

describe('resolveInside on a real folder with hostile entries', () => {
  let base: string;
  let root: string;

  beforeAll(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'stratum-safe-path-')));
    root = join(base, 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html>');
    writeFileSync(join(root, 'assets', 'app.js'), 'export {}');
    writeFileSync(join(base, 'secret.txt'), 'outside the renderer folder');
    mkdirSync(join(base, 'renderer-evil'));
    writeFileSync(join(base, 'renderer-evil', 'x.js'), 'a sibling folder sharing the prefix');
    symlinkSync(join(base, 'secret.txt'), join(root, 'link-out.txt'));
    symlinkSync(base, join(root, 'dir-link-out'));
    symlinkSync(join(root, 'assets', 'app.js'), join(root, 'link-in.js'));
    symlinkSync(join(root, 'missing'), join(root, 'dangling'));
    symlinkSync(join(root, 'loop-b'), join(root, 'loop-a'));
    symlinkSync(join(root, 'loop-a'), join(root, 'loop-b'));
    execFileSync('mkfifo', [join(root, 'fifo.js')]);
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('finds regular files, also through a symlink that stays inside', async () => {
    await expect(resolveInside(root, 'index.html')).resolves.toEqual({ ok: true, file: join(root, 'index.html'), size: 15 });
    await expect(resolveInside(root, 'link-in.js')).resolves.toMatchObject({ ok: true, file: join(root, 'assets', 'app.js') });
  });

  it.each([
    ['link-out.txt', 'a symlink to a file outside'],
    ['dir-link-out/secret.txt', 'a folder symlink out of the root'],
    ['../secret.txt', 'a climbing path given directly'],
    ['../renderer-evil/x.js', 'a sibling folder whose name starts like the root'],
    ['assets', 'a folder'],
    ['fifo.js', 'a FIFO (reading it would block)'],
    ['dangling', 'a dangling symlink'],
    ['loop-a', 'a symlink loop'],
    ['index.html/x', 'a file used as a folder'],
    ['nothing-here.js', 'a missing file'],
  ])('answers 404 for %s (%s)', async (relative) => {
    await expect(resolveInside(root, relative)).resolves.toEqual({ ok: false, status: 404, reason: 'Not found' });
  });
});

describe('contentTypeFor', () => {
  it('gives module scripts a JavaScript type and never guesses an unknown one', () => {
    expect(contentTypeFor('assets/index.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('index.HTML')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('assets/index.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('x.exe')).toBe('application/octet-stream');
    expect(contentTypeFor('noext')).toBe('application/octet-stream');
  });
});
