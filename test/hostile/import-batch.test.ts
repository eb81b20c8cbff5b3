import { getEventListeners } from 'node:events';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resultOf } from '../../src-shared/contract/channels/jobs';
import type { ImportResult } from '../../src-shared/domain/catalog';
import { createServices, type Services } from '../../src-main/services/container';
import { haveSharedData, sharedData } from '../../test-support/shared-data';
import { buildMain } from '../../test-support/main-build';

/**
 * Issue 13 item 13, import at batch scale: a 20,000-row manifest of duplicates is fast because files are
 * hashed before anything is decoded (and a file listed again is not even re-read); more than 10 scans in
 * one job add one abort listener, not one per scan (no MaxListenersExceededWarning).
 */
const NORMAL = sharedData('octid-unannotated', 'NORMAL');

let home: string;
let work: string;
let s: Services;

async function runImport(path: string): Promise<ImportResult> {
  const id = s.jobs.start('import', 'Import', (ctx) => s.importer.run(path, {}, ctx));
  return resultOf(await s.jobs.wait(id), 'import');
}

beforeAll(() => {
  expect(haveSharedData('octid-unannotated')).toBe(true);
  // the inference worker runs from dist/main/workers
  buildMain();
});

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'stratum-batch-home-'));
  work = mkdtempSync(join(tmpdir(), 'stratum-batch-src-'));
  s = createServices({ home, host: 'node' });
});

afterEach(async () => {
  await s.close();
  rmSync(home, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe('a 20,000-row manifest of duplicates', () => {
  it('is checked and imported in seconds (was 69 s each: every duplicate was decoded first)', async () => {
    // the largest real scans (879x586), five files, each listed 4,000 times
    const files = ['NORMAL40.jpeg', 'NORMAL41.jpeg', 'NORMAL42.jpeg', 'NORMAL43.jpeg', 'NORMAL44.jpeg'];
    for (const f of files) copyFileSync(join(NORMAL, f), join(work, f));
    const rows = Array.from({ length: 20_000 }, (_, i) => `${files[i % files.length]},P${i % files.length}`);
    const path = join(work, 'manifest.csv');
    writeFileSync(path, `file,patient_id\n${rows.join('\n')}\n`);

    let t0 = performance.now();
    const dry = await s.importer.dryRun(path);
    const drySeconds = (performance.now() - t0) / 1000;
    expect([dry.found, dry.wouldImport, dry.duplicates.length, dry.failed.length]).toEqual([20_000, 5, 19_995, 0]);
    expect(drySeconds).toBeLessThan(20);

    t0 = performance.now();
    const result = await runImport(path);
    const runSeconds = (performance.now() - t0) / 1000;
    expect([result.imported, result.duplicates, result.failed.length]).toEqual([5, 19_995, 0]);
    expect(runSeconds).toBeLessThan(20);
  }, 120_000);

  it('still knows a scan stored whole by an older version (hash of the file with its trailing data)', async () => {
    const junk = join(work, 'junk.jpeg');
    writeFileSync(junk, Buffer.concat([readFileSync(join(NORMAL, 'NORMAL30.jpeg')), Buffer.alloc(1000, 7)]));
    const first = await runImport(work);
    expect(first.imported).toBe(1);
    const audit = s.audit.forScan(first.scanIds[0]!).find((e) => e.action === 'import');
    const wholeFileHash = audit?.details?.fileSha256 as string;
    expect(wholeFileHash).toMatch(/^[0-9a-f]{64}$/);
    // what an import before the end-marker rule stored: the whole file's hash
    s.db.prepare('UPDATE scans SET sha256 = ? WHERE id = ?').run(wholeFileHash, first.scanIds[0]);
    const again = await runImport(work);
    expect([again.imported, again.duplicates]).toEqual([0, 1]);
    expect(s.scans.count()).toBe(1);
  });
});

describe('segmenting more than 10 scans in one job', () => {
  it('prints no MaxListenersExceededWarning (one abort listener per job signal, removed when done)', async () => {
    for (const n of readdirSync(NORMAL).sort().slice(0, 12)) copyFileSync(join(NORMAL, n), join(work, n));
    const imported = await runImport(work);
    expect(imported.scanIds).toHaveLength(12);
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      let signal: AbortSignal | undefined;
      const id = s.jobs.start('segment-batch', 'Segment 12', (ctx) => {
        signal = ctx.signal;
        return s.segmentation.segmentScans(imported.scanIds, ctx);
      });
      const stored = resultOf(await s.jobs.wait(id), 'segment-batch');
      expect(stored).toHaveLength(12);
      await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message)).toEqual([]);
      // and nothing is left listening on the finished job's signal
      expect(getEventListeners(signal!, 'abort')).toHaveLength(0);
    } finally {
      process.off('warning', onWarning);
    }
  }, 180_000);
});
