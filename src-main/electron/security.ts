import { app, protocol, session, shell } from 'electron';
import { join } from 'node:path';
import { packageRoot } from '../resources';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './app-protocol';
import { applySessionPolicy, applyWebContentsPolicy } from './hardening';

/**
 * The shell's security settings, applied in two steps around `app.whenReady()`. Every decision lives
 * in a module without an Electron import (app-protocol.ts, policy.ts, hardening.ts, window-options.ts)
 * and is tested there; this file only hands them the real Electron objects.
 */

/** Before ready: app:// must be privileged before the first session exists; every renderer sandboxed. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  app.enableSandbox();
}

/** After ready, before the first window: the renderer's files, the session's locks, every webContents' locks. */
export function applySecurityPolicy(): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererRoot()));
  applySessionPolicy(session.defaultSession);
  app.on('web-contents-created', (_event, contents) => applyWebContentsPolicy(contents, (url) => shell.openExternal(url)));
}

/** The built renderer (inside app.asar once packaged: packageRoot() is the archive then). */
function rendererRoot(): string {
  return join(packageRoot(), 'dist', 'renderer');
}
