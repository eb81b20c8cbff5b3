import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireResult } from '../../src-shared/contract';
import { createDispatcher } from '../../src-main/ipc/dispatcher';
import { createHandlers } from '../../src-main/ipc/handlers';
import { createServices, type Services } from '../../src-main/services/container';
import { buildMain, ROOT } from './cli-run';

/**
 * Issue 13 items 7 and 8 through the contract (as the app and `stratum serve` call it): conversion runs
 * in a worker thread, so the host's event loop keeps answering during a long conversion; cancelling
 * terminates the worker at once; absurd input is refused in milliseconds; no file content in errors.
 */
const IMAGES = join(ROOT, '..', 'shared', 'data', 'octid-deepeye', 'images');
let home: string;
let s: Services;
let dispatch: (channel: string, request: unknown) => Promise<WireResult>;

beforeAll(() => {
  buildMain();
  home = mkdtempSync(join(tmpdir(), 'stratum-hostile-convert-worker-'));
  s = createServices({ home, host: 'node' });
  dispatch = createDispatcher(createHandlers(s)) as (channel: string, request: unknown) => Promise<WireResult>;
}, 120_000);
afterAll(async () => {
  await s.close();
  rmSync(home, { recursive: true, force: true });
});

/** The longest the event loop went without running a 10 ms timer, while `body` runs. */
async function maxEventLoopLag<T>(body: () => Promise<T>): Promise<{ result: T; lagMs: number }> {
  let lagMs = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    lagMs = Math.max(lagMs, now - last - 10);
    last = now;
  }, 10);
  try {
    return { result: await body(), lagMs };
  } finally {
    clearInterval(timer);
  }
}

const zigzag = (n: number, top: number) => ({
  xs: Array.from({ length: n }, (_, i) => (i < n / 2 ? (i * 1500) / n : 750 - ((i - n / 2) * 1500) / n)),
  ys: Array.from({ length: n }, (_, i) => (i < n / 2 ? top + (i % 5) : top + 30 + (i % 5))),
});
const region = (label: string, p: { xs: number[]; ys: number[] }) => ({ shape_attributes: { name: 'polygon', all_points_x: p.xs, all_points_y: p.ys }, region_attributes: { label } });

describe('conversion off the event loop', () => {
  it('a large but legal conversion job leaves the event loop free and is cancelled at once', async () => {
    // 30 images of two 40,000-point polygons (within the limits): about a second of CPU each.
    const entries: Record<string, unknown> = {};
    for (let k = 0; k < 30; k++) entries[`copy${k}`] = { filename: 'NORMAL1.jpeg', regions: [region('NFL', zigzag(40_000, 100)), region('GCL+IPL', zigzag(40_000, 200))] };
    const labels = join(home, 'large.json');
    writeFileSync(labels, JSON.stringify(entries));
    const outDir = join(home, 'large-out');

    const { result, lagMs } = await maxEventLoopLag(async () => {
      const started = await dispatch('convert.vgg', { labelsPath: labels, imagesDir: IMAGES, outDir });
      expect(started.ok, JSON.stringify(started)).toBe(true);
      const jobId = (started as { ok: true; value: { jobId: string } }).value.jobId;
      // Wait until the conversion is past its first image, then cancel it mid-work.
      const deadline = Date.now() + 30_000;
      while ((s.jobs.get(jobId).fraction ?? 0) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(s.jobs.get(jobId).state).toBe('running');
      const cancelledAt = performance.now();
      expect(await dispatch('jobs.cancel', { jobId })).toMatchObject({ ok: true });
      const end = await s.jobs.wait(jobId);
      return { end, cancelMs: performance.now() - cancelledAt };
    });
    console.log(`large conversion: event-loop lag max ${Math.round(lagMs)} ms; cancel took ${Math.round(result.cancelMs)} ms`);
    expect(result.end.state).toBe('cancelled');
    expect(result.cancelMs).toBeLessThan(1000);
    expect(lagMs).toBeLessThan(200);
    // The worker is gone: no mask appears after the cancel.
    const written = readdirSync(outDir).length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(readdirSync(outDir).length).toBe(written);
    expect(written).toBeLessThan(30);
  }, 60_000);

  it('convert.validate refuses a polygon of 10^6 points in well under a second of host time', async () => {
    const n = 1_000_000;
    const labels = join(home, 'million.json');
    writeFileSync(labels, JSON.stringify({ 'NORMAL1.jpeg': { filename: 'NORMAL1.jpeg', regions: [region('NFL', zigzag(n, 100))] } }));
    const t0 = performance.now();
    const { result, lagMs } = await maxEventLoopLag(() => dispatch('convert.validate', { labelsPath: labels, imagesDir: IMAGES }));
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(lagMs).toBeLessThan(200);
    expect(result.ok).toBe(false);
    const error = (result as { ok: false; error: { code: string; message: string } }).error;
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toContain('million.json');
    expect(error.message).toContain('"NORMAL1.jpeg" region 0');
  });

  it('convert.validate on a non-JSON file names the file but echoes none of its content', async () => {
    const secret = join(home, 'shadow');
    writeFileSync(secret, 'root:$6$S3CRETSALT$HASHHASH:19000:0:99999:7:::\ndaemon:*:19000\n');
    for (const labelsPath of [secret, '/etc/shadow', '/etc/passwd']) {
      const r = await dispatch('convert.validate', { labelsPath, imagesDir: IMAGES });
      expect(r.ok).toBe(false);
      const { message } = (r as { ok: false; error: { message: string } }).error;
      expect(message).toContain(labelsPath);
      expect(message).not.toMatch(/root|S3CRET|HASH|daemon|x:0:0/);
    }
  });
});
