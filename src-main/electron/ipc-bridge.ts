import { ipcMain } from 'electron';
import { ELECTRON_IPC } from '../../src-shared/contract';
import { createDispatcher } from '../ipc/dispatcher';
import { createHandlers } from '../ipc/handlers';
import type { Services } from '../services/container';
import { createGuardedInvoke } from './ipc-guard';
import { mainWebContentsId, sendToWindow } from './window';

/**
 * One Electron IPC channel carries every contract call; the sender is checked first (ipc-guard.ts),
 * then the dispatcher parses the payload against the channel's schema before any handler runs.
 */
export function registerIpcBridge(services: Services): void {
  const dispatch = createDispatcher(createHandlers(services));
  ipcMain.handle(ELECTRON_IPC.invoke, createGuardedInvoke(dispatch, mainWebContentsId));
  services.bus.subscribe((name, payload) => sendToWindow(ELECTRON_IPC.event, { event: name, payload }));
}
