import { describe, expect, it } from 'vitest';
import { buildContentSecurityPolicy, CONTENT_SECURITY_POLICY, CSP_DIRECTIVES, parseContentSecurityPolicy, RENDERER_RESPONSE_HEADERS } from './security';

const policy = parseContentSecurityPolicy(CONTENT_SECURITY_POLICY);
const allSources = [...policy.values()].flat();

describe('the renderer Content-Security-Policy', () => {
  it('is built from the directive table, one directive each', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(buildContentSecurityPolicy(CSP_DIRECTIVES));
    expect([...policy.keys()]).toEqual(Object.keys(CSP_DIRECTIVES));
  });

  it('denies by default and allows scripts only from the app itself, never eval', () => {
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    for (const unsafe of ["'unsafe-eval'", "'wasm-unsafe-eval'", "'unsafe-hashes'", "'strict-dynamic'"]) expect(allSources).not.toContain(unsafe);
    expect(policy.get('script-src')).not.toContain("'unsafe-inline'");
  });

  it('names no host at all: no remote origin, no wildcard, no scheme-wide source, no loopback port range', () => {
    const hostLike = allSources.filter((source) => !source.startsWith("'") && source !== 'data:' && source !== 'blob:');
    expect(hostLike).toEqual([]);
    expect(allSources.some((source) => source.includes('*'))).toBe(false);
    // data: and blob: appear for images only (decoded scans and overlays), never where code or connections come from.
    for (const [name, sources] of policy) {
      if (name !== 'img-src') expect(sources.filter((s) => s === 'data:' || s === 'blob:'), name).toEqual([]);
    }
  });

  it('connects only to its own origin (the Node host socket on the same host and port; nothing in the shell)', () => {
    expect(policy.get('connect-src')).toEqual(["'self'"]);
  });

  it('locks plugins, base URL, forms, framing, workers and frames', () => {
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('form-action')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    // worker-src falls back to script-src, not default-src, so it must say 'none' itself.
    expect(policy.get('worker-src')).toEqual(["'none'"]);
    expect(policy.get('frame-src')).toEqual(["'none'"]);
  });

  it('goes out with nosniff on every renderer response', () => {
    expect(RENDERER_RESPONSE_HEADERS['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(RENDERER_RESPONSE_HEADERS['x-content-type-options']).toBe('nosniff');
    expect(RENDERER_RESPONSE_HEADERS['referrer-policy']).toBe('no-referrer');
  });

  it('parses a policy the way browsers do: case-insensitive names, first duplicate wins, stray semicolons ignored', () => {
    const parsed = parseContentSecurityPolicy("Script-Src 'self';; script-src *; img-src  data: ");
    expect(parsed.get('script-src')).toEqual(["'self'"]);
    expect(parsed.get('img-src')).toEqual(['data:']);
    expect(parsed.size).toBe(2);
  });
});
