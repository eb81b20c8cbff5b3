import type { WireError } from './errors';

/** Result of one invoke, the same over Electron IPC and the WebSocket host. */
export type WireResult<T = unknown> = { ok: true; value: T } | { ok: false; error: WireError };

/** Messages of the WebSocket host's protocol (the Electron bridge uses invoke/on directly). */
export interface WsRequest {
  id: number;
  channel: string;
  payload: unknown;
}
export type WsServerMessage =
  | { kind: 'result'; id: number; result: WireResult }
  | { kind: 'event'; event: string; payload: unknown };

/** The Electron preload exposes exactly this on `window.stratum`. */
export interface PreloadBridge {
  invoke(channel: string, payload: unknown): Promise<WireResult>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

/** The two raw Electron IPC channels the bridge uses; every contract call travels inside them. */
export const ELECTRON_IPC = { invoke: 'stratum:invoke', event: 'stratum:event' } as const;
