import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { contract, WS_CLOSE_TOO_BIG, WS_MAX_MESSAGE_BYTES, WS_MESSAGE_PIXEL_BUDGET, type WireResult } from '../../src-shared/contract';
import type { SegmentationView } from '../../src-shared/contract/channels/segment';
import type { JobProgress } from '../../src-shared/domain/jobs';
import { createSocketTransport, type SocketLike } from '../../src-renderer/api/ws-transport';
import { decodeLabelMap } from '../../src-main/services/catalog/label-map-png';
import { MAX_PIXELS } from '../../src-main/services/import/probe';
import { buildMain, call, openSocket, resultFor, ROOT, startServe, type ServedHost } from './host-harness';

// Issue 13 item 2: any WebSocket frame over 8 MiB ended `stratum serve` (no 'error' listener), and the
// app's own save of a boundary correction on a 3300x2200 scan (9.7 MB of base64) was such a frame.
let dir: string;
let host: ServedHost;
beforeAll(async () => {
  buildMain();
  dir = mkdtempSync(join(tmpdir(), 'stratum-host-ws-'));
  host = await startServe(join(dir, 'home'));
}, 120_000);
afterAll(async () => {
  await host?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The renderer's own client, over `ws` instead of the browser's WebSocket. */
function rendererClient() {
  return createSocketTransport(() => new WebSocket(`ws://127.0.0.1:${host.port}/ipc?token=${host.secret}`, { origin: host.origin }) as unknown as SocketLike);
}

describe('the message limit', () => {
  it('is larger than any request the contract accepts and than a correction of the largest scan import admits', () => {
    expect(WS_MESSAGE_PIXEL_BUDGET).toBeGreaterThanOrEqual(MAX_PIXELS);
    const maxLabels = contract['segment.saveCorrection'].request.shape.labelsBase64.maxLength!;
    const largestCorrection = JSON.stringify({ id: Number.MAX_SAFE_INTEGER, channel: 'segment.saveCorrection', payload: { scanId: Number.MAX_SAFE_INTEGER, baseSegmentationId: Number.MAX_SAFE_INTEGER, labelsBase64: '' } }).length + maxLabels;
    expect(WS_MAX_MESSAGE_BYTES).toBeGreaterThan(largestCorrection);
    expect(WS_MAX_MESSAGE_BYTES).toBeGreaterThan((Math.ceil(WS_MESSAGE_PIXEL_BUDGET / 3) * 4));
  });
});

describe('stratum serve and big or broken WebSocket messages', () => {
  it('answers a 9.7 MB message (the size of a 3300x2200 correction) instead of dying', async () => {
    const ws = await openSocket(host);
    const answer = resultFor(ws, 7);
    ws.send(JSON.stringify({ id: 7, channel: 'segment.saveCorrection', payload: { scanId: 999, baseSegmentationId: 1, labelsBase64: 'A'.repeat(9_680_000) } }));
    const { result, closeCode } = await answer;
    expect(closeCode).toBeUndefined();
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(host.alive(), host.stderr()).toBe(true);
    ws.close();
  });

  it('closes a socket that sends more than the limit with 1009 and keeps serving others', async () => {
    const ws = await openSocket(host);
    ws.on('error', () => undefined); // the host may reset the rest of our 68 MB write
    const closed = new Promise<number>((resolve) => ws.once('close', resolve));
    ws.send(Buffer.alloc(WS_MAX_MESSAGE_BYTES + 1, 0x20), { binary: false });
    expect(await closed).toBe(WS_CLOSE_TOO_BIG);
    expect(host.alive(), host.stderr()).toBe(true);
    expect(host.stderr()).toContain('refused a WebSocket message over');
    const next = await openSocket(host);
    expect(await call(next, 'app.info', {})).toMatchObject({ ok: true });
    next.close();
  });

  it('answers binary frames and malformed JSON with VALIDATION, closes on invalid UTF-8 (1007), and stays up', async () => {
    const ws = await openSocket(host);
    const binary = resultFor(ws, -1);
    ws.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]), { binary: true });
    expect((await binary).result).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('Binary') } });
    const garbage = resultFor(ws, -1);
    ws.send('{"id": 1, "channel": ');
    expect((await garbage).result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const noChannel = resultFor(ws, 5);
    ws.send(JSON.stringify({ id: 5, channel: 12 }));
    expect((await noChannel).result).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('channel') } });
    const closed = new Promise<number>((resolve) => ws.once('close', resolve));
    ws.send(Buffer.from([0x22, 0xc3, 0x28, 0x22]), { binary: false });
    expect(await closed).toBe(1007);
    expect(host.alive(), host.stderr()).toBe(true);
  });
});

describe("the renderer's client", () => {
  it('refuses a request longer than the limit with TOO_LARGE before sending it, and the connection carries on', async () => {
    const client = rendererClient();
    const r = await client.invoke('segment.saveCorrection', { scanId: 1, baseSegmentationId: 1, labelsBase64: 'A'.repeat(WS_MAX_MESSAGE_BYTES) });
    expect(r).toMatchObject({ ok: false, error: { code: 'TOO_LARGE', message: expect.stringContaining('Nothing was sent') } });
    expect(await client.invoke('app.info', {})).toMatchObject({ ok: true });
  });

  it('turns a 1009 close into TOO_LARGE for the request in flight and reconnects for the retry', async () => {
    // A host that reads less than this client sends (an older build, say): a real `ws` server, 1 KB limit.
    const older = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 1024 });
    older.on('connection', (ws) => {
      ws.on('error', () => undefined);
      ws.on('message', (data) => {
        const { id } = JSON.parse(data.toString()) as { id: number };
        ws.send(JSON.stringify({ kind: 'result', id, result: { ok: true, value: 'saved' } }));
      });
    });
    await new Promise((resolve) => older.once('listening', resolve));
    const { port } = older.address() as { port: number };
    try {
      const client = createSocketTransport(() => new WebSocket(`ws://127.0.0.1:${port}/`) as unknown as SocketLike);
      const failed = await client.invoke('segment.saveCorrection', { scanId: 1, baseSegmentationId: 1, labelsBase64: 'A'.repeat(4096) });
      expect(failed).toMatchObject({ ok: false, error: { code: 'TOO_LARGE', details: { closeCode: 1009 } } });
      expect(await client.invoke('segment.saveCorrection', { scanId: 1, baseSegmentationId: 1, labelsBase64: 'AAAA' })).toEqual({ ok: true, value: 'saved' });
    } finally {
      older.close();
    }
  });
});

describe('the reported case: a boundary correction of a 3300x2200 scan saves', () => {
  it('imports, segments and saves the full-size correction over the WebSocket; the host stays up', async () => {
    const folder = join(dir, 'scans');
    mkdirSync(folder);
    const normal = join(ROOT, '..', 'shared', 'data', 'octid-unannotated', 'NORMAL');
    const source = join(normal, readdirSync(normal).sort()[0]!);
    await sharp(source).resize(3300, 2200).greyscale().png().toFile(join(folder, 'wide-scan.png'));

    const client = rendererClient();
    const invoke = async <T>(channel: string, payload: unknown): Promise<T> => {
      const r: WireResult = await client.invoke(channel, payload);
      if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
      return r.value as T;
    };
    const finished = async (jobId: string) => {
      for (;;) {
        const job = await invoke<JobProgress>('jobs.get', { jobId });
        if (job.state !== 'queued' && job.state !== 'running') return job;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    expect((await finished((await invoke<{ jobId: string }>('import.start', { path: folder })).jobId)).state).toBe('done');
    const scanId = (await invoke<{ items: { id: number }[] }>('catalog.listScans', {})).items[0]!.id;
    expect((await finished((await invoke<{ jobId: string }>('segment.scan', { scanId })).jobId)).state).toBe('done');
    const model = (await invoke<SegmentationView>('segment.get', { scanId }))!;

    const labels = new Uint8Array(await decodeLabelMap(Buffer.from(model.labelMapPngBase64, 'base64'), 3300, 2200));
    for (let y = 1500; y < 1600; y++) labels.fill(8, y * 3300 + 1000, y * 3300 + 1400); // a hand-drawn choroid patch
    const labelsBase64 = Buffer.from(labels).toString('base64');
    expect(labelsBase64.length).toBeGreaterThan(9_600_000);
    const saved = await invoke<SegmentationView>('segment.saveCorrection', { scanId, baseSegmentationId: model.segmentationId, labelsBase64 });

    expect(saved).toMatchObject({ scanId, kind: 'manual', current: true, signOff: null });
    expect(saved.name).toMatch(/^corrected by /);
    expect(saved.summary?.correction?.changedPixels).toBeGreaterThan(0);
    expect((await invoke<SegmentationView>('segment.get', { scanId, kind: 'manual' })).segmentationId).toBe(saved.segmentationId);
    expect(host.alive(), host.stderr()).toBe(true);
  }, 120_000);
});
