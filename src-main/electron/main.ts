/**
 * The Electron entry. Read it as the table of contents of the desktop app; each step lives in its
 * own module. Everything behind the window is the same services the CLI and the Node host use.
 */
import { app } from 'electron';
import { resolveHome } from '../data-folder';
import { createServices } from '../services/container';
import { applySecurityPolicy, registerAppScheme } from './security';
import { registerIpcBridge } from './ipc-bridge';
import { electronDialogs } from './dialogs';
import { createMainWindow, focusExistingWindow } from './window';

// Must run before `ready`: a scheme registered later silently lacks its privileges.
registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  // Another Stratum owns the catalog; it gets focus, this instance leaves without touching anything.
  app.quit();
} else {
  app.on('second-instance', focusExistingWindow);
  app.on('window-all-closed', () => app.quit());
  void app.whenReady().then(start);
}

async function start(): Promise<void> {
  applySecurityPolicy();
  const services = createServices({ home: resolveHome(undefined, { ...process.env, STRATUM_HOME: process.env.STRATUM_HOME ?? app.getPath('userData') }), host: 'electron', dialogs: electronDialogs });
  registerIpcBridge(services);
  await createMainWindow();
  app.on('will-quit', () => void services.close());
}
