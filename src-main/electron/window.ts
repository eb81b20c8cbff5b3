import { BrowserWindow } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../resources';

let mainWindow: BrowserWindow | null = null;

/** The app's window: isolated, sandboxed, no Node in the page; the preload is the only bridge. */
export async function createMainWindow(): Promise<BrowserWindow> {
  mainWindow = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 680,
    backgroundColor: '#111418',
    title: 'Stratum',
    show: false,
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => (mainWindow = null));
  await mainWindow.loadURL(rendererUrl());
  return mainWindow;
}

/** The main window is the only sender IPC accepts. */
export function isMainWindowSender(frameUrl: string, webContentsId: number): boolean {
  return mainWindow !== null && webContentsId === mainWindow.webContents.id && frameUrl.startsWith(rendererUrl().split('#')[0] ?? '');
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

function rendererUrl(): string {
  return pathToFileURL(join(packageRoot(), 'dist', 'renderer', 'index.html')).toString();
}
