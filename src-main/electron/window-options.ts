import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/**
 * The page is untrusted by design: it shows files from disk and text from the catalog. It runs
 * isolated and sandboxed with no Node anywhere (main frame, sub-frames, workers), under Chromium's
 * web security, with no <webview>, no experimental or extra Blink features, and no spellchecker
 * (whose dictionaries Chromium would download from a remote server). The preload is the only bridge.
 */
export function mainWebPreferences(preloadPath: string, isPackaged: boolean): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
    // DevTools are for development; an installed viewer does not open a console into clinical data.
    devTools: !isPackaged,
  };
}

export function mainWindowOptions(preloadPath: string, isPackaged: boolean): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 680,
    backgroundColor: '#111418',
    title: 'Stratum',
    show: false,
    webPreferences: mainWebPreferences(preloadPath, isPackaged),
  };
}
