import { dialog } from 'electron';
import type { HostDialogs } from '../services/container';
import { currentWindow } from './window';

/** Native pickers for the desktop app, parented to the main window so they are modal to it. */
export const electronDialogs: HostDialogs = {
  async pickPath(kind, title) {
    const options: Electron.OpenDialogOptions = {
      title,
      properties: kind === 'folder' ? ['openDirectory'] : ['openDirectory', 'openFile'],
      ...(kind === 'folder-or-manifest' ? { filters: [{ name: 'Folders or CSV manifests', extensions: ['csv'] }] } : {}),
    };
    const win = currentWindow();
    const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  },
};
