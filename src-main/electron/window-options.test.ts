import { describe, expect, it } from 'vitest';
import { mainWebPreferences, mainWindowOptions } from './window-options';

describe('the main window webPreferences', () => {
  const prefs = mainWebPreferences('/app/dist/main/preload.cjs', true);

  it('isolate and sandbox the page, with no Node anywhere', () => {
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
    });
  });

  it('keep Chromium web security on: no insecure content, no <webview>, no experimental or extra Blink features', () => {
    expect(prefs).toMatchObject({ webSecurity: true, allowRunningInsecureContent: false, webviewTag: false, experimentalFeatures: false, navigateOnDragDrop: false });
    expect(prefs.enableBlinkFeatures).toBeUndefined();
    expect(prefs.additionalArguments).toBeUndefined();
  });

  it('turn the spellchecker off, so no dictionary is downloaded', () => {
    expect(prefs.spellcheck).toBe(false);
  });

  it('load only the bundled preload, and offer DevTools only in development', () => {
    expect(prefs.preload).toBe('/app/dist/main/preload.cjs');
    expect(prefs.devTools).toBe(false);
    expect(mainWebPreferences('/x/preload.cjs', false).devTools).toBe(true);
  });

  it('are the ones the window is built with', () => {
    expect(mainWindowOptions('/app/dist/main/preload.cjs', true).webPreferences).toEqual(prefs);
    expect(mainWindowOptions('/p', true).show).toBe(false);
  });
});
