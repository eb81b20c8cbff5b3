import { promises as fs } from 'node:fs';
import { extname, join, sep } from 'node:path';

/**
 * Maps a request path to a file of the built renderer, for both hosts that serve it: the Electron
 * shell's app:// protocol (src-main/electron/app-protocol.ts) and, where it adopts it, the Node
 * host's static server. Two steps: a pure check of the path as sent, then a look at the disk that
 * follows every symlink and serves only a regular file still inside the folder.
 */

/** No file of the built renderer has a path anywhere near this long; longer ones are refused unread. */
export const MAX_REQUEST_PATH_LENGTH = 2048;

export type RequestPath = { ok: true; relative: string } | { ok: false; status: 400 | 404 | 414; reason: string };

/**
 * The path part of a request (`/assets/x.js?v=1`) as a '/'-joined path relative to the served folder,
 * or why it cannot be one. Browsers resolve `.` and `..` before sending, so a path that still climbs
 * (raw or percent-encoded, `%2f` included) is an attack or a broken client: 400, never a lookup.
 * Hidden names (`.git`, `.env`) are never part of a build: 404.
 */
export function parseRequestPath(target: string): RequestPath {
  if (target.length > MAX_REQUEST_PATH_LENGTH) {
    return { ok: false, status: 414, reason: `The request path is longer than ${MAX_REQUEST_PATH_LENGTH} characters.` };
  }
  if (!target.startsWith('/') || target.startsWith('//')) {
    return { ok: false, status: 400, reason: 'The request path must start with one "/".' };
  }
  const rawPath = target.split(/[?#]/, 1)[0] ?? '';
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return { ok: false, status: 400, reason: 'The request path has a malformed percent-encoding.' };
  }
  // Control characters (NUL first of all), Windows separators and drive or stream colons never name a build file.
  // eslint-disable-next-line no-control-regex -- these characters are exactly what is refused
  if (/[\u0000-\u001f\u007f\\:]/.test(path)) {
    return { ok: false, status: 400, reason: 'The request path has a control character, a backslash or a colon.' };
  }
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) return { ok: false, status: 400, reason: 'The request path climbs out with "..".' };
  if (segments.some((segment) => segment.startsWith('.'))) return { ok: false, status: 404, reason: 'Not found' };
  return { ok: true, relative: segments.join('/') || 'index.html' };
}

export type ResolvedFile = { ok: true; file: string; size: number } | { ok: false; status: 404; reason: string };

/**
 * The regular file at `relative` under `realRoot` (a root already passed through realpath), or 404
 * when it is missing, not a regular file (folder, FIFO, socket, device), or resolves, through any
 * symlink, to somewhere outside the root. Uses only fs calls Electron also answers inside app.asar.
 */
export async function resolveInside(realRoot: string, relative: string): Promise<ResolvedFile> {
  const notFound = { ok: false, status: 404, reason: 'Not found' } as const;
  const inside = (path: string) => path.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);
  const joined = join(realRoot, ...relative.split('/'));
  if (!inside(joined)) return notFound;
  try {
    const real = await fs.realpath(joined);
    if (!inside(real)) return notFound; // a symlink pointing out of the folder
    const stats = await fs.stat(real);
    if (!stats.isFile()) return notFound;
    return { ok: true, file: real, size: stats.size };
  } catch {
    return notFound; // missing, a dangling or looping link, a file where a folder was expected, no permission
  }
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The Content-Type for a served file. Module scripts are refused by the browser unless they arrive
 * as JavaScript, and with nosniff nothing unknown is ever guessed into something runnable.
 */
export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}
