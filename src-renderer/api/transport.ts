import type { PreloadBridge } from '../../src-shared/contract';
import { createSocketTransport } from './ws-transport';

/** How the client reaches main: the Electron preload bridge, or the Node host's WebSocket. */
export type Transport = PreloadBridge;

declare global {
  interface Window {
    stratum?: PreloadBridge;
  }
}

export function detectTransport(): Transport {
  return window.stratum ?? createWebSocketTransport();
}

/** True in the browser host when the page's address lacks the `#token=…` the host printed (the page cannot connect without it). */
export function hostTokenMissing(location: Location = window.location): boolean {
  return !window.stratum && !new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
}

/** The Node host's WebSocket, with the per-launch secret from the URL fragment (never sent to servers). */
export function createWebSocketTransport(location: Location = window.location): Transport {
  const token = new URLSearchParams(location.hash.replace(/^#/, '')).get('token') ?? '';
  const url = `ws://${location.host}/ipc?token=${encodeURIComponent(token)}`;
  return createSocketTransport(() => new WebSocket(url));
}
