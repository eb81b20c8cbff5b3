import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { applySessionPolicy, applyWebContentsPolicy, DENIED_WEB_CONTENTS_EVENTS, type SessionPolicyTarget, type WebContentsPolicyTarget } from './hardening';

type Handler<K extends keyof SessionPolicyTarget> = SessionPolicyTarget[K] extends (handler: infer H) => void ? H : never;

/** Stands in for Electron's Session: keeps what the policy registers so the test can call it as Electron would. */
class RecordingSession implements SessionPolicyTarget {
  permissionRequest: Handler<'setPermissionRequestHandler'> | null = null;
  permissionCheck: Handler<'setPermissionCheckHandler'> | null = null;
  devicePermission: Handler<'setDevicePermissionHandler'> | null = null;
  beforeRequest: Parameters<SessionPolicyTarget['webRequest']['onBeforeRequest']>[0] | null = null;
  spellChecker: boolean | null = null;
  readonly events = new EventEmitter();
  readonly webRequest = { onBeforeRequest: (listener: NonNullable<RecordingSession['beforeRequest']>) => void (this.beforeRequest = listener) };
  setPermissionRequestHandler(handler: Handler<'setPermissionRequestHandler'>) { this.permissionRequest = handler; }
  setPermissionCheckHandler(handler: Handler<'setPermissionCheckHandler'>) { this.permissionCheck = handler; }
  setDevicePermissionHandler(handler: Handler<'setDevicePermissionHandler'>) { this.devicePermission = handler; }
  setSpellCheckerEnabled(enable: boolean) { this.spellChecker = enable; }
  on(event: 'will-download', listener: (event: { preventDefault(): void }) => void) { this.events.on(event, listener); return this; }
}

class PreventableEvent {
  defaultPrevented = false;
  constructor(readonly url = '') {}
  preventDefault() { this.defaultPrevented = true; }
}

class RecordingWebContents extends EventEmitter implements WebContentsPolicyTarget {
  windowOpen: Parameters<WebContentsPolicyTarget['setWindowOpenHandler']>[0] | null = null;
  setWindowOpenHandler(handler: NonNullable<RecordingWebContents['windowOpen']>) { this.windowOpen = handler; }
}

const PERMISSIONS = ['media', 'geolocation', 'notifications', 'clipboard-read', 'clipboard-sanitized-write', 'fullscreen', 'openExternal', 'fileSystem', 'display-capture', 'hid', 'serial', 'usb', 'unknown'];

describe('applySessionPolicy', () => {
  const session = new RecordingSession();
  applySessionPolicy(session);

  it('answers every permission request with false', () => {
    for (const permission of PERMISSIONS) {
      let granted: boolean | null = null;
      session.permissionRequest!({} as never, permission as never, (answer) => (granted = answer), { requestingUrl: 'app://stratum/index.html', isMainFrame: true } as never);
      expect(granted, permission).toBe(false);
    }
  });

  it('answers every permission check with false, so web APIs do not even ask', () => {
    for (const permission of PERMISSIONS) {
      expect(session.permissionCheck!(null, permission as never, 'app://stratum', {} as never), permission).toBe(false);
    }
  });

  it('hands no HID, serial or USB device to the page', () => {
    for (const deviceType of ['hid', 'serial', 'usb'] as const) {
      expect(session.devicePermission!({ deviceType, origin: 'app://stratum', device: {} } as never)).toBe(false);
    }
  });

  it('turns the spellchecker off and refuses downloads started by the page', () => {
    expect(session.spellChecker).toBe(false);
    const download = new PreventableEvent();
    session.events.emit('will-download', download);
    expect(download.defaultPrevented).toBe(true);
  });

  it('cancels every request that would leave the app, and lets the app files through', () => {
    const cancelled = (url: string) => {
      let answer: boolean | undefined;
      session.beforeRequest!({ url } as never, (response) => (answer = response.cancel));
      return answer;
    };
    expect(cancelled('app://stratum/assets/index.js')).toBe(false);
    expect(cancelled('data:image/png;base64,AAAA')).toBe(false);
    for (const url of ['https://example.org/', 'http://127.0.0.1:8080/', 'ws://localhost:9000/', 'file:///etc/passwd']) expect(cancelled(url), url).toBe(true);
  });
});

describe('applyWebContentsPolicy', () => {
  const opened: string[] = [];
  const contents = new RecordingWebContents();
  applyWebContentsPolicy(contents, async (url) => void opened.push(url));

  it.each(DENIED_WEB_CONTENTS_EVENTS)('prevents %s, whatever the target', (name) => {
    expect(contents.listenerCount(name)).toBe(1);
    for (const url of ['https://example.org/', 'app://stratum/index.html', 'file:///etc/passwd', 'javascript:alert(1)']) {
      const event = new PreventableEvent(url);
      contents.emit(name, event);
      expect(event.defaultPrevented, `${name} ${url}`).toBe(true);
    }
  });

  it('covers navigation, frame navigation, redirects and <webview>', () => {
    expect([...DENIED_WEB_CONTENTS_EVENTS].sort()).toEqual(['will-attach-webview', 'will-frame-navigate', 'will-navigate', 'will-redirect']);
  });

  it('denies every new window and opens nothing in the system browser', () => {
    for (const url of ['https://github.com/', 'http://127.0.0.1:1/', 'file:///etc/passwd', 'javascript:alert(1)', 'about:blank', 'app://stratum/index.html']) {
      expect(contents.windowOpen!({ url })).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual([]);
  });
});
