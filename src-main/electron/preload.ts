/**
 * The only bridge between the sandboxed page and main: `window.stratum.invoke(channel, payload)`
 * and `window.stratum.on(event, listener)`. Channel and event names are checked against the contract
 * here too, so the page cannot reach any other ipcMain handler.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { ELECTRON_IPC, events, isChannelName, type PreloadBridge, type WireResult } from '../../src-shared/contract';

const bridge: PreloadBridge = {
  invoke(channel, payload): Promise<WireResult> {
    if (!isChannelName(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `Unknown channel: ${String(channel)}` } });
    }
    return ipcRenderer.invoke(ELECTRON_IPC.invoke, channel, payload) as Promise<WireResult>;
  },
  on(eventName, listener) {
    if (!Object.prototype.hasOwnProperty.call(events, eventName)) return () => undefined;
    const handler = (_e: IpcRendererEvent, message: { event: string; payload: unknown }) => {
      if (message.event === eventName) listener(message.payload);
    };
    ipcRenderer.on(ELECTRON_IPC.event, handler);
    return () => ipcRenderer.off(ELECTRON_IPC.event, handler);
  },
};

contextBridge.exposeInMainWorld('stratum', bridge);
