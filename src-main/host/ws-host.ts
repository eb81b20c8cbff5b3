import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { WsRequest, WsServerMessage } from '../../src-shared/contract';
import type { Dispatch } from '../ipc/dispatcher';
import type { EventBus } from '../ipc/event-bus';
import { serveStatic } from './static-files';

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

const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

/**
 * The Node host: the built renderer plus the IPC contract over a WebSocket, bound to 127.0.0.1 only.
 * A socket must present the per-launch secret (from the URL fragment, which browsers never send to
 * servers or referrers) and come from this server's own origin; anything else is refused.
 */
export async function startNodeHost(options: NodeHostOptions): Promise<RunningHost> {
  const secret = options.secret ?? randomBytes(24).toString('hex');
  let origin = '';
  const server: Server = createServer((req, res) => {
    if (!isLoopbackHost(req)) {
      res.writeHead(421).end();
      return;
    }
    serveStatic(options.rendererDir, req.url ?? '/', res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname !== '/ipc' || !isLoopbackHost(req) || req.headers.origin !== origin || !secretMatches(url.searchParams.get('token'), secret)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, options));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
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
        server.close(() => resolve());
      }),
  };
}

function serveSocket(ws: WebSocket, { dispatch, bus }: NodeHostOptions): void {
  const send = (message: WsServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const unsubscribe = bus.subscribe((event, payload) => send({ kind: 'event', event, payload }));
  ws.on('close', unsubscribe);
  ws.on('message', async (data) => {
    const request = parseRequest(data.toString());
    if (!request) {
      send({ kind: 'result', id: -1, result: { ok: false, error: { code: 'VALIDATION', message: 'Malformed message: expected {id, channel, payload}' } } });
      return;
    }
    send({ kind: 'result', id: request.id, result: await dispatch(request.channel, request.payload) });
  });
}

function parseRequest(text: string): WsRequest | null {
  try {
    const value = JSON.parse(text) as Partial<WsRequest>;
    if (typeof value !== 'object' || value === null || !Number.isInteger(value.id) || typeof value.channel !== 'string') return null;
    return { id: value.id as number, channel: value.channel, payload: value.payload };
  } catch {
    return null;
  }
}

/** Defends against DNS rebinding: only requests addressed to a loopback name are served. */
function isLoopbackHost(req: IncomingMessage): boolean {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '');
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}

function secretMatches(given: string | null, secret: string): boolean {
  if (!given || given.length !== secret.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(secret));
}
