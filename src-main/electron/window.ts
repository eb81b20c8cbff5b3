import { app, BrowserWindow } from 'electron';
import { join } from 'node:path';
import { APP_ENTRY_URL } from './app-protocol';
import { mainWindowOptions } from './window-options';

let mainWindow: BrowserWindow | null = null;

/** The app's window (options: window-options.ts), showing the renderer from app://stratum. */
export async function createMainWindow(): Promise<BrowserWindow> {
  mainWindow = new BrowserWindow(mainWindowOptions(join(__dirname, 'preload.cjs'), app.isPackaged));
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => (mainWindow = null));
  await mainWindow.loadURL(APP_ENTRY_URL);
  return mainWindow;
}

/** The main window's webContents id, the only sender IPC accepts (see policy.ts isTrustedIpcSender). */
export function mainWebContentsId(): number | null {
  return mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents.id : null;
}

/** The main window, while it is open (dialogs are parented to it). */
export function currentWindow(): BrowserWindow | null {
  return mainWindow;
}

export function focusExistingWindow(): void {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

export function sendToWindow(channel: string, payload: unknown): void {
  mainWindow?.webContents.send(channel, payload);
}
