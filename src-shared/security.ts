/**
 * The renderer's Content-Security-Policy, applied by both hosts. No remote content: scripts and
 * styles from the app itself, images from the app or in-memory blobs, sockets only to loopback.
 * 'unsafe-inline' for styles only, because Svelte sets inline style attributes.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
