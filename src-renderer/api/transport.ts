import type { PreloadBridge, WireResult, WsServerMessage } from '../../src-shared/contract';

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

/** The Node host's protocol: `{id, channel, payload}` out, `{kind:'result'|'event', ...}` in. */
export function createWebSocketTransport(location: Location = window.location): Transport {
  const token = new URLSearchParams(location.hash.replace(/^#/, '')).get('token') ?? '';
  const socket = new WebSocket(`ws://${location.host}/ipc?token=${encodeURIComponent(token)}`);
  const open = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error('Cannot connect to the Stratum host')), { once: true });
  });
  const pending = new Map<number, (result: WireResult) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;

  socket.addEventListener('message', (message) => {
    const data = JSON.parse(String(message.data)) as WsServerMessage;
    if (data.kind === 'result') {
      pending.get(data.id)?.(data.result);
      pending.delete(data.id);
    } else {
      for (const listener of listeners.get(data.event) ?? []) listener(data.payload);
    }
  });
  socket.addEventListener('close', () => {
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'IO', message: 'The connection to Stratum closed.' } });
    pending.clear();
  });

  return {
    async invoke(channel, payload) {
      await open;
      const id = nextId++;
      return new Promise<WireResult>((resolve) => {
        pending.set(id, resolve);
        socket.send(JSON.stringify({ id, channel, payload }));
      });
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  };
}
