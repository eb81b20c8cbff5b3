import type { Session, WindowOpenHandlerResponse } from 'electron';
import { isExternalUrlAllowed, isNavigationAllowed, isPermissionAllowed, isSessionRequestAllowed } from './policy';

/**
 * Wires the decisions of policy.ts into a session and into every webContents. The Electron objects
 * come in as parameters (typed against Electron's own declarations), so the tests drive exactly this
 * code with stand-ins; security.ts passes the real ones.
 */

type PermissionRequestHandler = NonNullable<Parameters<Session['setPermissionRequestHandler']>[0]>;
type PermissionCheckHandler = NonNullable<Parameters<Session['setPermissionCheckHandler']>[0]>;
type DevicePermissionHandler = NonNullable<Parameters<Session['setDevicePermissionHandler']>[0]>;
type BeforeRequestListener = NonNullable<Parameters<Session['webRequest']['onBeforeRequest']>[0]>;

export interface PreventableEvent {
  preventDefault(): void;
}

/** The part of Electron's Session this policy sets. */
export interface SessionPolicyTarget {
  setPermissionRequestHandler(handler: PermissionRequestHandler): void;
  setPermissionCheckHandler(handler: PermissionCheckHandler): void;
  setDevicePermissionHandler(handler: DevicePermissionHandler): void;
  setSpellCheckerEnabled(enable: boolean): void;
  on(event: 'will-download', listener: (event: PreventableEvent) => void): unknown;
  webRequest: { onBeforeRequest(listener: BeforeRequestListener): void };
}

/**
 * No permission is ever granted (requests and the silent checks web APIs make first), no device is
 * handed to the page, nothing leaves for the network, nothing is downloaded, no spellchecker (it
 * would fetch dictionaries from a remote server).
 */
export function applySessionPolicy(session: SessionPolicyTarget): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl).allowed);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin).allowed);
  session.setDevicePermissionHandler((details) => isPermissionAllowed(`device:${details.deviceType}`, details.origin).allowed);
  session.setSpellCheckerEnabled(false);
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isSessionRequestAllowed(details.url).allowed });
  });
  // Reports and exports are written by main through the contract; the page itself never downloads.
  session.on('will-download', (event) => event.preventDefault());
}

/** The events through which a page leaves itself: navigation in any frame, redirects, <webview>. */
export const DENIED_WEB_CONTENTS_EVENTS = ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview'] as const;

/** The part of Electron's WebContents this policy sets. */
export interface WebContentsPolicyTarget {
  on(event: (typeof DENIED_WEB_CONTENTS_EVENTS)[number], listener: (event: PreventableEvent & { url?: string }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => WindowOpenHandlerResponse): void;
}

/**
 * Every webContents (the main window, DevTools, anything a bug might create) stays on its page and
 * opens no window; a window.open or target=_blank link goes to the system browser only when the
 * allow-list says so (today: never), and never with the page's opener.
 */
export function applyWebContentsPolicy(contents: WebContentsPolicyTarget, openExternal: (url: string) => Promise<void>): void {
  for (const name of DENIED_WEB_CONTENTS_EVENTS) {
    contents.on(name, (event) => {
      if (name === 'will-attach-webview' || !isNavigationAllowed(event.url ?? '').allowed) event.preventDefault();
    });
  }
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalUrlAllowed(url).allowed) void openExternal(url).catch(() => undefined);
    return { action: 'deny' };
  });
}
