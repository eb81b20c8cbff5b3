/**
 * The renderer's Content-Security-Policy and the security headers sent with every renderer file,
 * one source for both hosts: the Electron shell (app://stratum, see src-main/electron/app-protocol.ts)
 * and the Node host (http://127.0.0.1:<port>, src-main/host/static-files.ts).
 *
 * Deny by default, then allow each kind the app needs. No remote content, no eval. 'self' is the
 * app's own origin: app://stratum in the shell, the host's http origin in the browser, where it
 * also covers the host's own ws:// socket on the same host and port (CSP3; Chromium >= 71, Firefox,
 * Safari >= 16), so no other loopback port is reachable.
 * 'unsafe-inline' for styles only, because Svelte sets inline style attributes.
 */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'worker-src': ["'none'"],
  'frame-src': ["'none'"],
  'media-src': ["'none'"],
  'manifest-src': ["'none'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/** Serialises a directive table as a header value (`name value value; name value`). */
export function buildContentSecurityPolicy(directives: Readonly<Record<string, readonly string[]>> = CSP_DIRECTIVES): string {
  return Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');
}

export const CONTENT_SECURITY_POLICY = buildContentSecurityPolicy();

/**
 * Headers for every renderer response, files and errors alike: the CSP, no MIME sniffing (a module
 * script must arrive as JavaScript), no referrer, no caching of a build that may change under it.
 */
export const RENDERER_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** Splits a policy into directive name -> sources, for checks (duplicates keep the first, as browsers do). */
export function parseContentSecurityPolicy(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/).filter(Boolean);
    if (name && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}
