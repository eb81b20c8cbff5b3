/**
 * Case generators for the host fuzz test. Every case is drawn from one seeded generator, so a run is
 * reproducible. Channels that change anything are only ever sent payloads their schema must refuse
 * (never `{}`, `null` or a missing payload, which `import.samples` would accept), so the fuzzer cannot
 * import, delete, convert or write reports: what it may do to the catalog is nothing.
 */
import { contract } from '../../src-shared/contract';

export type Rng = () => number;

export const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const bytes = (rng: Rng, n: number) => Buffer.from(Array.from({ length: n }, () => int(rng, 0, 255)));
const printable = (rng: Rng, n: number) => Array.from({ length: n }, () => String.fromCharCode(int(rng, 32, 126))).join('');

// ---------------------------------------------------------------- HTTP (raw bytes over TCP)

const METHODS = ['GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'CONNECT', 'PROPFIND', 'get', 'G\0T', 'FROB', '', 'GET GET'];
const VERSIONS = ['HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/9.9', 'HTTP/1.1x', 'http/1.1', ''];
const EOLS = ['\r\n', '\r\n', '\r\n', '\n', '\r', '\n\r'];

function target(rng: Rng, assets: string[]): string {
  switch (int(rng, 0, 13)) {
    case 0:
      return pick(rng, ['/', '/index.html', ...assets.map((a) => `/assets/${a}`)]);
    case 1: // percent-encoding garbage
      return '/' + Array.from({ length: int(rng, 1, 6) }, () => '%' + printable(rng, int(rng, 0, 2))).join(pick(rng, ['', 'a', '/']));
    case 2:
      return '/' + pick(rng, ['%E0%A4%A', '%', '%%', '%C0%AF', '%ED%A0%80', '%FF%FE', '%00', '%0d%0aSet-Cookie:x']);
    case 3: // traversal in its spellings
      return pick(rng, ['/../', '/..%2f', '/%2e%2e/', '/.%2e/', '/..\\', '/assets/../../']).repeat(int(rng, 1, 8)) + pick(rng, ['etc/passwd', 'package.json', 'catalog.sqlite', '']);
    case 4: // overlong
      return '/' + 'a'.repeat(int(rng, 1000, 70_000));
    case 5:
      return pick(rng, ['http://127.0.0.1/', 'https://evil.example/x', '*', '//evil.example/', 'file:///etc/passwd', 'ws://127.0.0.1/ipc']);
    case 6: // raw bytes, latin1 (NUL, DEL, high bytes)
      return '/' + bytes(rng, int(rng, 1, 40)).toString('latin1');
    case 7:
      return '/index.html?' + printable(rng, int(rng, 0, 200));
    case 8:
      return '/' + 'ü✓𝄞'.repeat(int(rng, 1, 20));
    case 9:
      return '/ipc?token=' + printable(rng, int(rng, 0, 60));
    case 10:
      return '/assets/' + printable(rng, int(rng, 1, 30)).replace(/ /g, '');
    case 11:
      return '';
    default:
      return '/' + printable(rng, int(rng, 1, 60)).replace(/ /g, '%20');
  }
}

function headers(rng: Rng, port: number): string[] {
  const host = pick(rng, [`127.0.0.1:${port}`, `127.0.0.1:${port}`, `localhost:${port}`, '[::1]', 'evil.example', '', '127.0.0.1.evil.example', `127.0.0.1:${port}\0`]);
  const list = int(rng, 0, 9) > 0 ? [`Host: ${host}`] : [];
  const extra = int(rng, 0, 6);
  for (let i = 0; i < extra; i++) {
    list.push(
      pick(rng, [
        'Connection: close',
        'Connection: keep-alive',
        `Content-Length: ${pick(rng, ['-1', '1e9', 'abc', '5', '99999999999999999999', '0'])}`,
        'Transfer-Encoding: chunked',
        'Transfer-Encoding: chunked, identity',
        'Upgrade: websocket',
        `Sec-WebSocket-Key: ${printable(rng, int(rng, 0, 30))}`,
        `X-Big: ${'x'.repeat(int(rng, 8_000, 100_000))}`,
        `${printable(rng, int(rng, 1, 20))}: ${printable(rng, int(rng, 0, 40))}`,
        `Bad Header\0: ${printable(rng, 5)}`,
        ': no name',
        'Origin: null',
        `Range: bytes=${int(rng, -5, 100)}-${int(rng, -5, 100)}`,
        'Expect: 100-continue',
      ]),
    );
  }
  if (int(rng, 0, 20) === 0) for (let i = 0; i < 300; i++) list.push(`X-${i}: ${i}`);
  return list;
}

/** One HTTP case: mostly structured requests with a broken part, some pure noise, some cut short or pipelined. */
export function httpCase(rng: Rng, port: number, assets: string[]): Buffer {
  const kind = int(rng, 0, 19);
  if (kind === 0) return bytes(rng, int(rng, 1, 2000));
  const request = () => {
    const eol = pick(rng, EOLS);
    const line = `${pick(rng, METHODS)} ${target(rng, assets)} ${pick(rng, VERSIONS)}`;
    const body = int(rng, 0, 5) === 0 ? printable(rng, int(rng, 0, 300)) : '';
    return Buffer.from([line, ...headers(rng, port)].join(eol) + eol + eol + body, 'latin1');
  };
  if (kind === 1) return Buffer.concat(Array.from({ length: int(rng, 2, 5) }, request)); // pipelined
  const one = request();
  return kind === 2 ? one.subarray(0, int(rng, 1, one.length)) : one; // cut short
}

// ---------------------------------------------------------------- WebSocket messages

/** Channels that only read: sent with well-formed payloads too. */
const READ_ONLY: Record<string, (rng: Rng) => unknown> = {
  'app.info': () => ({}),
  'catalog.listScans': (rng) => ({ limit: int(rng, 1, 500) }),
  'catalog.getScan': (rng) => ({ scanId: int(rng, 1, 1e6) }),
  'catalog.scanImage': (rng) => ({ scanId: int(rng, 1, 1e6) }),
  'catalog.listPatients': () => ({}),
  'catalog.stats': () => ({}),
  'jobs.list': () => ({}),
  'jobs.get': (rng) => ({ jobId: printable(rng, int(rng, 1, 64)) }),
  'segment.get': (rng) => ({ scanId: int(rng, 1, 1e6) }),
  'segment.status': () => ({}),
};
const CHANNELS = Object.keys(contract);

/** A value no strict object schema accepts (never `{}`, `null` or undefined). */
function refusedPayload(rng: Rng): unknown {
  return pick(rng, [
    () => int(rng, -1e9, 1e9),
    () => printable(rng, int(rng, 0, 50)),
    () => [int(rng, 0, 9), printable(rng, 3), {}],
    () => true,
    () => ({ [`junk${int(rng, 0, 99)}`]: printable(rng, 5) }),
    () => ({ scanId: -int(rng, 0, 5), junk: 1 }),
    () => ({ path: '/etc/shadow', outDir: '/tmp', scanIds: [1], extra: printable(rng, 4) }),
    () => JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"junk":1}') as unknown,
  ])();
}

export type WsCase =
  | { kind: 'text'; data: string; id: number | null } // id: the reply's id, or null for the unmatched-id reply (-1)
  | { kind: 'binary'; data: Buffer }
  | { kind: 'close'; data: Buffer; code: number }; // a text frame the host must answer by closing with `code`

export function wsCase(rng: Rng, id: number): WsCase {
  switch (int(rng, 0, 12)) {
    case 0:
      return { kind: 'text', data: printable(rng, int(rng, 0, 500)), id: null };
    case 1: {
      const full = JSON.stringify({ id, channel: pick(rng, CHANNELS), payload: refusedPayload(rng) });
      return { kind: 'text', data: full.slice(0, int(rng, 0, full.length - 1)), id: null };
    }
    case 2:
      return { kind: 'text', data: JSON.stringify(pick(rng, [null, 42, 'x', [1, 2], { id: 'x', channel: 'app.info' }, { id: 1.5, channel: 'app.info' }, { id: 1e300, channel: 'app.info' }, { channel: 'app.info' }, {}])), id: null };
    case 3:
      return { kind: 'text', data: JSON.stringify({ id, channel: pick(rng, [42, null, ['app.info'], { x: 1 }]) }), id };
    case 4: // unknown channels, prototype names included
      return { kind: 'text', data: JSON.stringify({ id, channel: pick(rng, ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '', printable(rng, int(rng, 1, 100))]), payload: {} }), id };
    case 5:
    case 6:
      return { kind: 'text', data: JSON.stringify({ id, channel: pick(rng, CHANNELS), payload: refusedPayload(rng) }), id };
    case 7:
    case 8: {
      const channel = pick(rng, Object.keys(READ_ONLY));
      return { kind: 'text', data: JSON.stringify({ id, channel, payload: READ_ONLY[channel]!(rng) }), id };
    }
    case 9:
      return { kind: 'binary', data: bytes(rng, int(rng, 0, 4000)) };
    case 10: // deep nesting and big-but-legal messages
      return int(rng, 0, 1) === 0
        ? { kind: 'text', data: `{"id":${id},"channel":"app.info","payload":{"junk":${'['.repeat(50_000)}${']'.repeat(50_000)}}}`, id }
        : { kind: 'text', data: JSON.stringify({ id, channel: 'segment.saveCorrection', payload: { scanId: 1, baseSegmentationId: 1, labelsBase64: 'A'.repeat(int(rng, 1e5, 1.2e7)), junk: 1 } }), id };
    case 11: // text frames that are not UTF-8
      return { kind: 'close', data: Buffer.concat([Buffer.from('{"id":1,"x":"'), Buffer.from(pick(rng, [[0xc3, 0x28], [0xff], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]])), Buffer.from('"}')]), code: 1007 };
    default:
      return { kind: 'text', data: JSON.stringify({ id, channel: 'app.info', payload: {} }), id };
  }
}

/** Raw frames that break RFC 6455 (sent after a proper handshake): the host must close, not crash. */
export function protocolViolation(rng: Rng): Buffer {
  const mask = bytes(rng, 4);
  return pick(rng, [
    () => Buffer.from([0x81, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f]), // unmasked client frame
    () => Buffer.concat([Buffer.from([0x80 | int(rng, 3, 7), 0x80]), mask]), // reserved data opcode
    () => Buffer.concat([Buffer.from([0x80 | int(rng, 0xb, 0xf), 0x80]), mask]), // reserved control opcode
    () => Buffer.concat([Buffer.from([0xf1, 0x80]), mask]), // RSV bits without an extension
    () => Buffer.concat([Buffer.from([0x09, 0x80]), mask]), // fragmented ping
    () => Buffer.concat([Buffer.from([0x89, 0xfe, 0x01, 0x00]), mask, bytes(rng, 256)]), // control frame over 125 bytes
    () => Buffer.concat([Buffer.from([0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), mask]), // 2^64-1 length
    () => Buffer.concat([Buffer.from([0x80, 0x82]), mask, bytes(rng, 2)]), // continuation with nothing to continue
    () => Buffer.concat([Buffer.from([0x88, 0x81]), mask, bytes(rng, 1)]), // close frame with a 1-byte body
    () => bytes(rng, int(rng, 1, 300)),
  ])();
}
