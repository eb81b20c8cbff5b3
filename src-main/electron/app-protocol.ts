import { promises as fs } from 'node:fs';
import type { CustomScheme } from 'electron';
import { RENDERER_RESPONSE_HEADERS } from '../../src-shared/security';
import { contentTypeFor, parseRequestPath, resolveInside } from '../host/safe-path';

/**
 * The desktop shell serves the renderer from app://stratum/ instead of file://: a real origin, so
 * 'self' in the CSP means exactly the app, the CSP arrives as a response header on every file, and
 * file:// needs no privileges at all (the grantFileProtocolExtraPrivileges fuse is off).
 * No `electron` runtime import here: main.ts wires these into `protocol`, the tests call them directly.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'stratum';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * standard: URLs resolve like http (relative asset paths, a tuple origin for 'self' and storage);
 * secure: a secure context like https; supportFetchAPI + corsEnabled: module scripts load through it.
 * Never bypassCSP, no service workers, no streaming media.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: {
    standard: true,
    secure: true,
    supportFetchAPI: true,
    corsEnabled: true,
    codeCache: true,
    bypassCSP: false,
    allowServiceWorkers: false,
    stream: false,
  },
};

/** Is `url` on the app's own origin (app://stratum, no credentials, no port)? */
export function isAppOriginUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname.toLowerCase() === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/**
 * The `protocol.handle('app', ...)` handler: app://stratum/<path> -> <rendererRoot>/<path>, GET and
 * HEAD only, with the same path rules as the Node host (src-main/host/safe-path.ts) and the CSP and
 * nosniff headers on every answer, errors included. It never throws: a failure is a plain-text status.
 */
export function createAppProtocolHandler(rendererRoot: string): (request: Request) => Promise<Response> {
  let realRoot: Promise<string> | null = null;
  return async (request) => {
    try {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return textResponse(405, 'Method not allowed: app:// answers GET and HEAD only.', { allow: 'GET, HEAD' });
      }
      if (!isAppOriginUrl(request.url)) return textResponse(404, 'Not found');
      const url = new URL(request.url);
      const path = parseRequestPath(url.pathname || '/');
      if (!path.ok) return textResponse(path.status, path.reason);
      realRoot ??= fs.realpath(rendererRoot);
      const resolved = await resolveInside(await realRoot, path.relative);
      if (!resolved.ok) return textResponse(resolved.status, resolved.reason);
      const headers = { ...RENDERER_RESPONSE_HEADERS, 'content-type': contentTypeFor(resolved.file), 'content-length': String(resolved.size) };
      if (request.method === 'HEAD') return new Response(null, { status: 200, headers });
      // readFile, not a stream: it is async (the main loop keeps running) and works inside app.asar.
      const body = await fs.readFile(resolved.file);
      return new Response(new Uint8Array(body), { status: 200, headers: { ...headers, 'content-length': String(body.byteLength) } });
    } catch {
      realRoot = null; // e.g. the renderer folder was missing at the first request: look again next time
      return textResponse(500, 'The app could not read its own files.');
    }
  };
}

function textResponse(status: number, text: string, extra: Record<string, string> = {}): Response {
  return new Response(text, {
    status,
    headers: { ...RENDERER_RESPONSE_HEADERS, 'content-type': 'text/plain; charset=utf-8', ...extra },
  });
}
