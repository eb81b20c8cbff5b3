/**
 * Drives the real Node host for the hostile-input tests: `stratum serve` as a child process on an
 * ephemeral 127.0.0.1 port, raw TCP for requests no well-behaved client would send, and `ws` for sockets.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { WireResult, WsServerMessage } from '../../src-shared/contract';

export const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'stratum.cjs');

/** dist/main is built once per run by Vitest's global setup; see test-support/main-build.ts. */
export { buildMain } from '../../test-support/main-build';

export interface ServedHost {
  child: ChildProcess;
  port: number;
  secret: string;
  origin: string;
  /** Everything the host wrote to stderr so far (a crash's stack trace lands here). */
  stderr(): string;
  alive(): boolean;
  stop(): Promise<void>;
}

export async function startServe(home: string): Promise<ServedHost> {
  const child = spawn(process.execPath, [CLI, '--home', home, 'serve'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`stratum serve did not start: ${stderr}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /Open: (\S+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`stratum serve exited ${code}: ${stderr}`)));
  });
  const parsed = new URL(url);
  return {
    child,
    port: Number(parsed.port),
    secret: new URLSearchParams(parsed.hash.slice(1)).get('token')!,
    origin: parsed.origin,
    stderr: () => stderr,
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface RawResponse {
  /** The status of the first response line, or null when none came. */
  status: number | null;
  text: string;
  /** The server closed the connection (or reset it) within the time allowed. */
  closed: boolean;
  timedOut: boolean;
}

/**
 * Writes raw bytes to the host and collects what comes back until the server closes or `timeoutMs` pass.
 * When the server sends nothing for `idleMs` the write side is ended, so a truncated request meets
 * end-of-stream rather than a wait (ending at once would abort an answer the host is still preparing).
 */
export function rawRequest(port: number, bytes: string | Buffer, timeoutMs = 5000, idleMs = 500): Promise<RawResponse> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: '127.0.0.1', port });
    let done = false;
    let idle: NodeJS.Timeout | undefined;
    const finish = (closed: boolean, timedOut: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(idle);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : null, text, closed, timedOut });
    };
    const timer = setTimeout(() => finish(false, true), timeoutMs);
    const armIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(() => socket.end(), idleMs);
    };
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      armIdle();
    });
    socket.on('error', () => finish(true, false));
    socket.on('close', () => finish(true, false));
    socket.on('connect', () => {
      socket.write(bytes);
      armIdle();
    });
  });
}

/** A GET as a browser sends it (the target is written as given: no normalisation, no encoding). */
export function get(port: number, target: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const lines = [`GET ${target} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return rawRequest(port, `${lines.join('\r\n')}\r\n\r\n`);
}

export function openSocket(host: Pick<ServedHost, 'port' | 'secret' | 'origin'>, options: { maxPayload?: number } = {}): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ipc?token=${host.secret}`, { origin: host.origin, maxPayload: options.maxPayload ?? 0 });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** The first result for `id` on this socket, or the close code if the host closes it first. */
export function resultFor(ws: WebSocket, id: number, timeoutMs = 30_000): Promise<{ result?: WireResult; closeCode?: number; timedOut?: true }> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => settle({ timedOut: true }), timeoutMs);
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as WsServerMessage;
      if (message.kind === 'result' && message.id === id) settle({ result: message.result });
    };
    const onClose = (code: number) => settle({ closeCode: code });
    function settle(value: { result?: WireResult; closeCode?: number; timedOut?: true }) {
      clearTimeout(timer);
      ws.off('message', onMessage);
      ws.off('close', onClose);
      resolve(value);
    }
    ws.on('message', onMessage);
    ws.on('close', onClose);
  });
}

let nextId = 1;
export async function call(ws: WebSocket, channel: string, payload: unknown): Promise<WireResult> {
  const id = nextId++;
  const answer = resultFor(ws, id);
  ws.send(JSON.stringify({ id, channel, payload }));
  const { result, closeCode } = await answer;
  if (!result) throw new Error(`no answer to ${channel}: socket closed ${closeCode ?? 'timed out'}`);
  return result;
}

export interface RawWsOutcome {
  /** Whether the host accepted the handshake (101). */
  upgraded: boolean;
  /** The code of the host's close frame, when it sent one. */
  closeCode: number | null;
  closed: boolean;
  timedOut: boolean;
}

/**
 * A proper handshake over raw TCP, then `frames` exactly as given (no masking, no framing by a library),
 * then end-of-stream: the host must close the connection, whatever the bytes were.
 */
export function rawWsSession(host: Pick<ServedHost, 'port' | 'secret' | 'origin'>, frames: Buffer, timeoutMs = 5000): Promise<RawWsOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: host.port });
    let received: Buffer = Buffer.alloc(0);
    let upgraded = false;
    let done = false;
    const finish = (closed: boolean, timedOut: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const close = received.indexOf(0x88);
      const closeCode = close >= 0 && received.length >= close + 4 ? received.readUInt16BE(close + 2) : null;
      resolve({ upgraded, closeCode, closed, timedOut });
    };
    const timer = setTimeout(() => finish(false, true), timeoutMs);
    socket.on('error', () => finish(true, false));
    socket.on('close', () => finish(true, false));
    socket.on('data', (d: Buffer) => {
      if (upgraded) {
        received = Buffer.concat([received, d]);
        return;
      }
      const text = d.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (!text.startsWith('HTTP/1.1 101') || end < 0) return finish(true, false);
      upgraded = true;
      received = d.subarray(end + 4);
      socket.end(frames);
    });
    socket.on('connect', () =>
      socket.write(
        `GET /ipc?token=${host.secret} HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nOrigin: ${host.origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      ),
    );
  });
}
