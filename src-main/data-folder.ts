import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';

export const APP_FOLDER_NAME = 'Stratum';

/**
 * The per-user application data folder, the same one Electron's app.getPath('userData') gives for
 * productName "Stratum", so the CLI and the desktop app share one catalog by default.
 */
export function defaultHome(platform = process.platform, env = process.env): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_FOLDER_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_FOLDER_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_FOLDER_NAME);
}

/** --home beats STRATUM_HOME beats the per-user default. */
export function resolveHome(explicit?: string, env = process.env): string {
  return resolve(explicit ?? env.STRATUM_HOME ?? defaultHome(process.platform, env));
}

export interface DataFolder {
  home: string;
  catalogPath: string;
  libraryDir: string;
}

export function openDataFolder(home: string): DataFolder {
  const folder: DataFolder = {
    home,
    catalogPath: join(home, 'catalog.sqlite'),
    libraryDir: join(home, 'library'),
  };
  mkdirSync(folder.libraryDir, { recursive: true });
  return folder;
}
