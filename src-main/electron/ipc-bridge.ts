import { ipcMain } from 'electron';
import { ELECTRON_IPC, type WireResult } from '../../src-shared/contract';
import { createDispatcher } from '../ipc/dispatcher';
import { createHandlers } from '../ipc/handlers';
import type { Services } from '../services/container';
import { isMainWindowSender, sendToWindow } from './window';

/**
 * One Electron IPC channel carries every contract call; the sender is checked first, then the
 * dispatcher parses the payload against the channel's schema before any handler runs.
 */
export function registerIpcBridge(services: Services): void {
  const dispatch = createDispatcher(createHandlers(services));
  ipcMain.handle(ELECTRON_IPC.invoke, async (event, channel: unknown, payload: unknown): Promise<WireResult> => {
    if (!event.senderFrame || !isMainWindowSender(event.senderFrame.url, event.sender.id)) {
      return { ok: false, error: { code: 'UNAUTHORISED', message: 'IPC from an unknown sender was refused.' } };
    }
    return dispatch(channel, payload);
  });
  services.bus.subscribe((name, payload) => sendToWindow(ELECTRON_IPC.event, { event: name, payload }));
}
