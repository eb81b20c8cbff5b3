import { WS_CLOSE_TOO_BIG, WS_MAX_MESSAGE_BYTES, type PreloadBridge, type WireError, type WireResult, type WsServerMessage } from '../../src-shared/contract';

/**
 * The part of the browser's WebSocket this transport uses, so the same code runs against `ws` in tests
 * (no DOM types here: the Node test build type-checks this file too).
 */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  addEventListener(type: 'open' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number }) => void): void;
}

const OPEN = 1;

interface Connection {
  socket: SocketLike;
  /** True once open; false when it failed or closed first. */
  opened: Promise<boolean>;
  /** Requests sent on this connection and not yet answered. */
  pending: Map<number, (result: WireResult) => void>;
}

/**
 * The Node host's protocol: `{id, channel, payload}` out, `{kind:'result'|'event', ...}` in.
 * A request never hangs and never fails silently: one longer than the host reads is refused here with
 * TOO_LARGE before it is sent; a closed connection answers every request in flight with an error that
 * says what happened, and the next request opens a new connection, so the user can retry (an unsaved
 * boundary correction stays in the editor until a save succeeds).
 */
export function createSocketTransport(connect: () => SocketLike): PreloadBridge {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let current: Connection | null = null;

  const onMessage = (connection: Connection, raw: unknown) => {
    let data: WsServerMessage;
    try {
      data = JSON.parse(String(raw)) as WsServerMessage;
    } catch {
      return; // the host sends only JSON; anything else is not an answer to anything
    }
    if (data.kind === 'result') {
      connection.pending.get(data.id)?.(data.result);
      connection.pending.delete(data.id);
    } else if (data.kind === 'event') {
      for (const listener of listeners.get(data.event) ?? []) listener(data.payload);
    }
  };

  /** The open (or opening) connection, or a new one when the last has closed. */
  const connection = (): Connection => {
    if (current && current.socket.readyState <= OPEN) return current;
    const socket = connect();
    const opened = new Promise<boolean>((resolve) => {
      socket.addEventListener('open', () => resolve(true));
      socket.addEventListener('error', () => resolve(false));
      socket.addEventListener('close', () => resolve(false));
    });
    const made: Connection = { socket, opened, pending: new Map() };
    socket.addEventListener('message', (message) => onMessage(made, message.data));
    socket.addEventListener('close', (event) => {
      if (current === made) current = null;
      const error = closedError(event.code);
      for (const resolve of made.pending.values()) resolve({ ok: false, error });
      made.pending.clear();
    });
    current = made;
    return made;
  };
  connection(); // at once, as before: events (job progress) flow before the first request

  return {
    async invoke(channel, payload) {
      const id = nextId++;
      const text = JSON.stringify({ id, channel, payload });
      const bytes = utf8BytesIfOverLimit(text);
      if (bytes > WS_MAX_MESSAGE_BYTES) return { ok: false, error: tooLarge(channel, bytes) };
      const made = connection();
      if (!(await made.opened) || made.socket.readyState !== OPEN) {
        return { ok: false, error: { code: 'IO', message: 'Cannot connect to the Stratum host. Is `stratum serve` still running? Nothing was sent; try again.' } };
      }
      return new Promise<WireResult>((resolve) => {
        made.pending.set(id, resolve);
        made.socket.send(text);
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

function closedError(code: number): WireError {
  if (code === WS_CLOSE_TOO_BIG) {
    return {
      code: 'TOO_LARGE',
      message: 'The Stratum host refused a message as too large and closed the connection (WebSocket code 1009): the request was not carried out and nothing was changed. Unsaved work stays open here.',
      details: { closeCode: code },
    };
  }
  return { code: 'IO', message: `The connection to the Stratum host closed (code ${code}) before it answered; the request may not have been carried out. Try again.`, details: { closeCode: code } };
}

function tooLarge(channel: string, bytes: number): WireError {
  return {
    code: 'TOO_LARGE',
    message: `The ${channel} request is ${(bytes / 1e6).toFixed(1)} MB; the Stratum host reads at most ${(WS_MAX_MESSAGE_BYTES / 1e6).toFixed(1)} MB per message. Nothing was sent.`,
    details: { channel, bytes, limitBytes: WS_MAX_MESSAGE_BYTES },
  };
}

/**
 * The message's UTF-8 length, counted only when it could exceed the limit; a string of N UTF-16 units
 * is at most 3N bytes, so a short one is returned as its unit count (a lower bound) without the count.
 */
function utf8BytesIfOverLimit(text: string): number {
  if (text.length * 3 <= WS_MAX_MESSAGE_BYTES) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
