import { describe, expect, it } from 'vitest';
import {
  EXTERNAL_LINK_ALLOW_LIST,
  ipcSenderOf,
  isExternalUrlAllowed,
  isNavigationAllowed,
  isPermissionAllowed,
  isSessionRequestAllowed,
  isTrustedIpcSender,
  type ExternalLink,
} from './policy';

/** Every permission name Electron 39 passes to the request and check handlers (electron.d.ts). */
const PERMISSIONS = [
  'clipboard-read', 'clipboard-sanitized-write', 'display-capture', 'fullscreen', 'geolocation', 'hid', 'idle-detection',
  'media', 'mediaKeySystem', 'midi', 'midiSysex', 'notifications', 'pointerLock', 'keyboardLock', 'openExternal', 'serial',
  'speaker-selection', 'storage-access', 'top-level-storage-access', 'usb', 'window-management', 'unknown', 'fileSystem',
  'deprecated-sync-clipboard-read',
];

describe('isPermissionAllowed', () => {
  it.each(PERMISSIONS)('refuses %s, even for the app itself, and says why', (permission) => {
    for (const origin of ['app://stratum', 'https://example.org', '']) {
      const decision = isPermissionAllowed(permission, origin);
      expect(decision.allowed).toBe(false);
      expect(decision.reason).toContain(permission);
    }
  });

  it('names only the origin in its reason, never the path or query', () => {
    const { reason } = isPermissionAllowed('media', 'https://example.org/patient/Doe?dob=1950');
    expect(reason).toContain('https://example.org');
    expect(reason).not.toContain('Doe');
  });
});

describe('isExternalUrlAllowed', () => {
  it('ships with an empty allow-list: nothing opens in the system browser, not even https', () => {
    expect(EXTERNAL_LINK_ALLOW_LIST).toEqual([]);
    expect(isExternalUrlAllowed('https://github.com/').allowed).toBe(false);
  });

  const docs: ExternalLink[] = [{ host: 'docs.stratum.example', pathPrefix: '/manual/' }];

  it('allows an https page under an allow-listed host and path', () => {
    expect(isExternalUrlAllowed('https://docs.stratum.example/manual/viewer.html#zoom', docs)).toMatchObject({ allowed: true });
    expect(isExternalUrlAllowed('https://DOCS.stratum.example/manual/', docs).allowed).toBe(true);
  });

  it.each([
    ['file:///etc/passwd', 'file:'],
    ['file://server/share/x.exe', 'file:'],
    ['javascript:alert(1)', 'javascript:'],
    ['data:text/html,<script>alert(1)</script>', 'data:'],
    ['vbscript:msgbox', 'vbscript:'],
    ['stratum://open', 'stratum:'],
    ['ms-msdt:/id PCWDiagnostic', 'ms-msdt:'],
    ['smb://attacker/share', 'smb:'],
    ['app://stratum/index.html', 'app:'],
    ['http://127.0.0.1:8080/', 'http:'],
    ['http://docs.stratum.example/manual/', 'http:'],
    ['ftp://docs.stratum.example/manual/', 'ftp:'],
    ['https://user:pw@docs.stratum.example/manual/', 'credentials'],
    ['https://docs.stratum.example:8443/manual/', 'port'],
    ['https://docs.stratum.example.evil.com/manual/', 'not on the list'],
    ['https://evil.com/docs.stratum.example/manual/', 'not on the list'],
    ['https://127.0.0.1/manual/', 'not on the list'],
    ['https://docs.stratum.example/other/', 'not on the list'],
    ['https://docs.stratum.example/manual', 'not on the list'],
    ['https://docs.stratum.example/%2e%2e/other/', 'not on the list'],
    ['not a url', 'valid URL'],
    ['', 'valid URL'],
  ])('refuses %s (%s) even with an allow-list', (url, why) => {
    const decision = isExternalUrlAllowed(url, docs);
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toContain(why);
  });
});

describe('isTrustedIpcSender', () => {
  const main = 7;
  const top = (url: string) => ({ webContentsId: main, frame: { url, isTopFrame: true } });

  it('accepts the main window top frame on the app origin, wherever the page is within it', () => {
    expect(isTrustedIpcSender(top('app://stratum/index.html'), main).allowed).toBe(true);
    expect(isTrustedIpcSender(top('app://stratum/index.html#/scan/12'), main).allowed).toBe(true);
  });

  it.each([
    ['another webContents', { webContentsId: 8, frame: { url: 'app://stratum/index.html', isTopFrame: true } }, 'main window'],
    ['a sub-frame of the main window', { webContentsId: main, frame: { url: 'app://stratum/index.html', isTopFrame: false } }, 'sub-frame'],
    ['a destroyed frame', { webContentsId: main, frame: null }, 'gone'],
    ['a file:// page', top('file:///work/dist/renderer/index.html'), 'file:'],
    ['an http page', top('http://127.0.0.1:5173/'), 'http://127.0.0.1:5173'],
    ['a lookalike app origin', top('app://stratum.evil/index.html'), 'app://stratum.evil'],
    ['another app host', top('app://evil/index.html'), 'app://evil'],
    ['a page with credentials', top('app://x@stratum/index.html'), 'not the app'],
    ['about:blank', top('about:blank'), 'about:'],
    ['an empty URL', top(''), 'unparsable'],
  ])('refuses %s', (_what, sender, why) => {
    const decision = isTrustedIpcSender(sender, main);
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toContain(why);
  });

  it('refuses everything while there is no main window', () => {
    expect(isTrustedIpcSender(top('app://stratum/index.html'), null).allowed).toBe(false);
  });

  it('reads sender and frame off an ipcMain event; a frame with a parent is a sub-frame', () => {
    const parent = { url: 'app://stratum/index.html', parent: null };
    expect(ipcSenderOf({ sender: { id: 3 }, senderFrame: parent })).toEqual({ webContentsId: 3, frame: { url: 'app://stratum/index.html', isTopFrame: true } });
    expect(ipcSenderOf({ sender: { id: 3 }, senderFrame: { url: 'app://stratum/x', parent } }).frame?.isTopFrame).toBe(false);
    expect(ipcSenderOf({ sender: { id: 3 }, senderFrame: null }).frame).toBeNull();
  });
});

describe('isSessionRequestAllowed', () => {
  it.each(['app://stratum/index.html', 'app://stratum/assets/x.js', 'data:image/png;base64,AAAA', 'blob:app://stratum/5f1c', 'devtools://devtools/bundled/x.js'])('lets %s through', (url) => {
    expect(isSessionRequestAllowed(url).allowed).toBe(true);
  });

  it.each(['https://example.org/x.js', 'http://127.0.0.1:8080/', 'ws://127.0.0.1:9000/ipc', 'wss://example.org/', 'file:///etc/passwd', 'ftp://x/', 'app://evil/x', 'chrome://gpu', ''])('cancels %s', (url) => {
    expect(isSessionRequestAllowed(url).allowed).toBe(false);
  });
});

describe('isNavigationAllowed', () => {
  it.each(['https://example.org/', 'app://stratum/index.html', 'file:///etc/passwd', 'javascript:alert(1)', 'about:blank'])('refuses %s', (url) => {
    expect(isNavigationAllowed(url).allowed).toBe(false);
  });
});
