import { PIXEL_BUDGET } from '../domain/limits';
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

/** The biggest image any entry point accepts, in pixels: the one pixel budget (domain/limits.ts). */
export const WS_MESSAGE_PIXEL_BUDGET = PIXEL_BUDGET;

/**
 * The largest WebSocket message the Node host reads. The biggest request the contract can legitimately
 * carry is a boundary correction: one byte per pixel of the scan, base64 in JSON. We size the limit for
 * the largest scan the pixel budget admits (30 MP -> 40 MB of base64) plus 1 MiB for the envelope,
 * instead of switching big payloads to binary frames: the request stays the same JSON object over Electron
 * IPC and the WebSocket, the channel's zod schema checks it the same way on both hosts, base64's third
 * more bytes cost milliseconds on loopback, only a socket that presented the per-launch secret can send
 * anything at all, and `ws` refuses a longer frame from its header before buffering any of it.
 */
export const WS_MAX_MESSAGE_BYTES = Math.ceil(WS_MESSAGE_PIXEL_BUDGET / 3) * 4 + 1024 * 1024;

/** WebSocket close code for "message too big" (RFC 6455 7.4.1): the host's answer to a longer message. */
export const WS_CLOSE_TOO_BIG = 1009;

/** The Electron preload exposes exactly this on `window.stratum`. */
export interface PreloadBridge {
  invoke(channel: string, payload: unknown): Promise<WireResult>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

/** The two raw Electron IPC channels the bridge uses; every contract call travels inside them. */
export const ELECTRON_IPC = { invoke: 'stratum:invoke', event: 'stratum:event' } as const;
