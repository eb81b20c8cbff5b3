import { constants, type Stats } from 'node:fs';
import { open, realpath, stat, type FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream';
import { CONTENT_SECURITY_POLICY } from '../../src-shared/security';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

/** No file of the built renderer has a path anywhere near this long; longer targets are refused unread. */
export const MAX_URL_LENGTH = 2048;

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/**
 * O_NOFOLLOW: the final path is the realpath, so a symlink there means it was swapped in after the check.
 * O_NONBLOCK: opening a FIFO must not park a thread-pool thread waiting for a writer. Both are 0 on Windows.
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export type RequestTarget = { relative: string } | { status: 400 | 414; reason: string };

/**
 * Turns a request target into a path relative to the served folder, or says why it cannot be one.
 * Browsers resolve `.` and `..` before sending, so a target that still has them (raw or percent-encoded)
 * is an attack or a broken client, never a page of the app: 400, not a lookup.
 */
export function parseRequestTarget(url: string): RequestTarget {
  if (url.length > MAX_URL_LENGTH) return { status: 414, reason: `The request target is longer than ${MAX_URL_LENGTH} characters.` };
  // Origin-form only: absolute URLs (`http://x/`) and `*` are proxy and OPTIONS forms this server does not speak.
  if (!url.startsWith('/') || url.startsWith('//')) return { status: 400, reason: 'The request target must be a path starting with one "/".' };
  const rawPath = url.split(/[?#]/, 1)[0]!;
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return { status: 400, reason: 'The request path has a malformed percent-encoding.' };
  }
  // eslint-disable-next-line no-control-regex -- control characters (NUL first of all) are exactly what is refused
  if (/[\u0000-\u001f\u007f\\]/.test(path)) return { status: 400, reason: 'The request path has a control character or a backslash.' };
  const segments = path.split('/');
  if (segments.includes('..')) return { status: 400, reason: 'The request path climbs out with "..".' };
  return { relative: segments.filter((s) => s !== '' && s !== '.').join('/') || 'index.html' };
}

/**
 * Serves the built renderer, never anything outside its folder: GET and HEAD only, regular files only,
 * and a file is served only when its real path (every symlink resolved) is still inside the real root.
 */
export function createStaticFiles(root: string): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  let realRoot: Promise<string> | null = null;
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      replyText(res, 405, 'Method not allowed: this server answers GET and HEAD only.', { allow: 'GET, HEAD' });
      return;
    }
    const target = parseRequestTarget(req.url ?? '');
    if ('status' in target) {
      replyText(res, target.status, target.reason);
      return;
    }
    realRoot ??= realpath(root);
    const file = await openInside(await realRoot, target.relative);
    if (!file) {
      replyText(res, 404, 'Not found');
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[extname(target.relative)] ?? 'application/octet-stream',
      'content-length': String(file.stats.size),
      'content-security-policy': CONTENT_SECURITY_POLICY,
      ...SECURITY_HEADERS,
    });
    if (req.method === 'HEAD') {
      res.end();
      await file.handle.close();
      return;
    }
    // pipeline closes the file (autoClose) and the response on either side's error or an aborted request.
    pipeline(file.handle.createReadStream(), res, () => undefined);
  };
}

/** The open regular file at `relative` under `realRoot`, or null when it is missing, not a file, or escapes the root. */
async function openInside(realRoot: string, relative: string): Promise<{ handle: FileHandle; stats: Stats } | null> {
  const inside = (path: string) => path.startsWith(realRoot + sep);
  const joined = normalize(join(realRoot, relative));
  if (!inside(joined)) return null;
  let real: string;
  let checked: Stats;
  try {
    real = await realpath(joined);
    if (!inside(real)) return null; // a symlink pointing out of the renderer folder
    checked = await stat(real);
    if (!checked.isFile()) return null; // directories, FIFOs, sockets, devices
  } catch {
    return null; // missing, a dangling or looping link, a file where a folder was expected, no permission
  }
  let handle: FileHandle;
  try {
    handle = await open(real, OPEN_FLAGS);
  } catch {
    return null;
  }
  // The file opened must be the one checked: nothing may be swapped in between the checks and the open.
  const stats = await handle.stat().catch(() => null);
  if (!stats || !stats.isFile() || stats.ino !== checked.ino || stats.dev !== checked.dev) {
    await handle.close();
    return null;
  }
  return { handle, stats };
}

export function replyText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...SECURITY_HEADERS, ...headers });
  res.end(text);
}
