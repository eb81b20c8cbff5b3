import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { toWireError, WS_MAX_MESSAGE_BYTES, type WireError, type WsServerMessage } from '../../src-shared/contract';
import type { Dispatch } from '../ipc/dispatcher';
import type { EventBus } from '../ipc/event-bus';
import { createStaticFiles, replyText } from './static-files';
import { parseWsRequest } from './ws-request';

export interface NodeHostOptions {
  dispatch: Dispatch;
  bus: EventBus;
  rendererDir: string;
  port?: number;
  /** Defaults to a fresh random secret per launch. */
  secret?: string;
}

export interface RunningHost {
  url: string;
  port: number;
  secret: string;
  close(): Promise<void>;
}

/**
 * The Node host: the built renderer plus the IPC contract over a WebSocket, bound to 127.0.0.1 only.
 * A socket must present the per-launch secret (from the URL fragment, which browsers never send to
 * servers or referrers) and come from this server's own origin; anything else is refused.
 *
 * Nothing a peer sends may end the process: every request, upgrade, socket and WebSocket has its own
 * error path here (a page on another loopback origin can reach the HTTP side with an <img> tag).
 */
export async function startNodeHost(options: NodeHostOptions): Promise<RunningHost> {
  const secret = options.secret ?? randomBytes(24).toString('hex');
  let origin = '';
  const serveStatic = createStaticFiles(options.rendererDir);
  const server: Server = createServer((req, res) => {
    const fail = (error: unknown) => failRequest(res, error);
    try {
      if (!isLoopbackHost(req)) {
        replyText(res, 421, 'Misdirected request: this server answers loopback names only.');
        return;
      }
      serveStatic(req, res).catch(fail);
    } catch (error) {
      fail(error);
    }
  });
  // A slow or stalled client must not hold a connection open for minutes.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  // Upgraded sockets lose Node's own error listener; a reset one without a listener would throw.
  server.on('connection', (socket) => socket.on('error', () => socket.destroy()));
  server.on('clientError', answerClientError);
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => refuseRaw(socket, 405));

  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_MESSAGE_BYTES });
  wss.on('error', (error) => console.error(`[host] WebSocket server error: ${error.message}`));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      if (!isAuthorisedUpgrade(req, origin, secret)) {
        refuseRaw(socket, 401);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, options));
    } catch {
      refuseRaw(socket, 400);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  server.on('error', (error) => console.error(`[host] server error: ${error.message}`));
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/#token=${secret}`,
    port,
    secret,
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function serveSocket(ws: WebSocket, { dispatch, bus }: NodeHostOptions): void {
  // `ws` has already closed the socket (1009 too big, 1007 bad UTF-8, 1002 protocol error) when this fires;
  // the listener is what keeps that from being an uncaught 'error' event.
  ws.on('error', (error: Error & { code?: string }) => {
    if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') console.error(`[host] refused a WebSocket message over ${WS_MAX_MESSAGE_BYTES} bytes (closed 1009)`);
  });
  const send = (message: WsServerMessage) => {
    if (ws.readyState !== ws.OPEN) return;
    let text: string;
    try {
      text = JSON.stringify(message);
    } catch (error) {
      if (message.kind !== 'result') return;
      text = JSON.stringify({ kind: 'result', id: message.id, result: { ok: false, error: toWireError(error) } } satisfies WsServerMessage);
    }
    try {
      ws.send(text, () => undefined); // a send error means the socket is going away; 'close' cleans up
    } catch {
      ws.terminate(); // never let a reply's failure escape into the dispatch promise or a service's emit
    }
  };
  const fail = (id: number, error: WireError) => send({ kind: 'result', id, result: { ok: false, error } });
  const unsubscribe = bus.subscribe((event, payload) => send({ kind: 'event', event, payload }));
  ws.on('close', unsubscribe);
  ws.on('message', (data: RawData, isBinary: boolean) => {
    const parsed = parseWsRequest(data, isBinary);
    if ('error' in parsed) {
      fail(parsed.id, parsed.error);
      return;
    }
    const { id, channel, payload } = parsed.request;
    dispatch(channel, payload).then(
      (result) => send({ kind: 'result', id, result }),
      (error: unknown) => fail(id, toWireError(error)),
    );
  });
}

/** Node's own parser refused the request (bad method, malformed line, huge headers): a status, then close. */
function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  refuseRaw(socket, status);
}

function refuseRaw(socket: Duplex, status: number): void {
  if (socket.writable) socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

function failRequest(res: ServerResponse, error: unknown): void {
  console.error(`[host] request failed: ${error instanceof Error ? error.name : 'error'}`);
  replyText(res, 500, 'Internal error');
}

function isAuthorisedUpgrade(req: IncomingMessage, origin: string, secret: string): boolean {
  const target = req.url ?? '';
  if (!target.startsWith('/ipc?') || !isLoopbackHost(req) || req.headers.origin !== origin) return false;
  const token = new URLSearchParams(target.slice('/ipc?'.length)).get('token');
  return secretMatches(token, secret);
}

/** Defends against DNS rebinding: only requests addressed to a loopback name are served. */
function isLoopbackHost(req: IncomingMessage): boolean {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '');
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}

function secretMatches(given: string | null, secret: string): boolean {
  if (!given || given.length !== secret.length) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  // A non-ASCII token has the right length in characters but not in bytes; timingSafeEqual would throw.
  return a.length === b.length && timingSafeEqual(a, b);
}
