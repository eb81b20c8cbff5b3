import { isAppOriginUrl } from './app-protocol';

/**
 * The desktop shell's security decisions as pure functions, each returning its reason, so that the
 * tests can ask them directly. hardening.ts wires them into Electron's session and webContents.
 */
export interface Decision {
  allowed: boolean;
  reason: string;
}

/**
 * Web permissions (camera, microphone, geolocation, notifications, clipboard, fullscreen, HID, USB,
 * serial, file system, openExternal, ...): the viewer needs none, so every request and every check
 * is refused, whatever the origin asking.
 */
export function isPermissionAllowed(permission: string, requestingOrigin = ''): Decision {
  const from = requestingOrigin ? ` from ${originOnly(requestingOrigin)}` : '';
  return { allowed: false, reason: `Stratum grants no web permissions; "${permission}"${from} was refused.` };
}

/** An https page the shell may hand to the system browser: exact host, and the path under `pathPrefix`. */
export interface ExternalLink {
  host: string;
  pathPrefix: string;
}

/**
 * Where `shell.openExternal` may go: nowhere. The renderer has no external links, and a link the page
 * builds itself would be the first thing an injected script uses (file:, custom schemes, a loopback
 * service, a lookalike host). Adding the project's documentation later means one entry here.
 */
export const EXTERNAL_LINK_ALLOW_LIST: readonly ExternalLink[] = [];

/** May `url` be opened in the system browser? Only https, no credentials, no port, an allow-listed host and path. */
export function isExternalUrlAllowed(url: string, allowList: readonly ExternalLink[] = EXTERNAL_LINK_ALLOW_LIST): Decision {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { allowed: false, reason: 'Not a valid URL.' };
  }
  if (parsed.protocol !== 'https:') return { allowed: false, reason: `Only https links open outside the app, not ${parsed.protocol}` };
  if (parsed.username || parsed.password) return { allowed: false, reason: 'Links with credentials do not open outside the app.' };
  if (parsed.port !== '') return { allowed: false, reason: 'Links with an explicit port do not open outside the app.' };
  const match = allowList.find((entry) => parsed.hostname === entry.host.toLowerCase() && parsed.pathname.startsWith(entry.pathPrefix));
  if (!match) return { allowed: false, reason: `${parsed.hostname} is not on the list of pages the app may open.` };
  return { allowed: true, reason: `${parsed.hostname}${match.pathPrefix} is on the allow-list.` };
}

/** What ipcMain knows about who sent a message (event.sender and event.senderFrame). */
export interface IpcSender {
  webContentsId: number;
  /** null when the frame was destroyed or navigated away before the message was handled. */
  frame: { url: string; isTopFrame: boolean } | null;
}

/** What ipcMain's event carries, reduced to what the check needs (a destroyed frame reads as null). */
export function ipcSenderOf(event: { sender: { id: number }; senderFrame: { url: string; parent: unknown } | null }): IpcSender {
  const frame = event.senderFrame;
  return { webContentsId: event.sender.id, frame: frame ? { url: frame.url, isTopFrame: frame.parent === null } : null };
}

/**
 * Contract calls are accepted only from the top frame of the main window showing the app's own
 * origin: not from another window or webContents, not from a sub-frame, not from any other page.
 */
export function isTrustedIpcSender(sender: IpcSender, mainWebContentsId: number | null): Decision {
  if (mainWebContentsId === null) return { allowed: false, reason: 'There is no main window to accept messages from.' };
  if (sender.webContentsId !== mainWebContentsId) return { allowed: false, reason: 'The message did not come from the main window.' };
  if (!sender.frame) return { allowed: false, reason: 'The sending frame is gone.' };
  if (!sender.frame.isTopFrame) return { allowed: false, reason: 'The message came from a sub-frame.' };
  if (!isAppOriginUrl(sender.frame.url)) return { allowed: false, reason: `The sending frame shows ${originOnly(sender.frame.url)}, not the app.` };
  return { allowed: true, reason: 'The main window showing the app.' };
}

/**
 * Requests the session lets through (webRequest.onBeforeRequest), behind the CSP: the app's own
 * files, in-memory data: and blob: images, and the developer tools' own pages. Nothing reaches the
 * network: no http(s), ws(s), file: or ftp: from any page of the app.
 */
export function isSessionRequestAllowed(url: string): Decision {
  if (isAppOriginUrl(url)) return { allowed: true, reason: 'The app itself.' };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase() ?? '';
  if (scheme === 'data' || scheme === 'blob' || scheme === 'devtools') return { allowed: true, reason: `${scheme}: stays in memory.` };
  return { allowed: false, reason: `${scheme || 'This'}: requests are not made by the desktop app.` };
}

/** Navigation away from the loaded page, in any frame, and server redirects: never (the app is one page). */
export function isNavigationAllowed(url: string): Decision {
  return { allowed: false, reason: `Navigation to ${originOnly(url)} was refused: the app never leaves its page.` };
}

/** The origin only (scheme, host, port) for messages: paths and queries could carry anything. */
function originOnly(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.host ? `${parsed.protocol}//${parsed.host}` : parsed.protocol;
  } catch {
    return 'an unparsable URL';
  }
}
