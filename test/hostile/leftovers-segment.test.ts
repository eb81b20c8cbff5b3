import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultOf } from '../../src-shared/contract/channels/jobs';
import { decodeLabelMap } from '../../src-main/services/catalog/label-map-png';
import { createServices, type Services } from '../../src-main/services/container';
import { saveCorrection } from '../../src-main/services/segmentation/corrections';
import { SegmentationService } from '../../src-main/services/segmentation/segmentation-service';
import { resourcesDir } from '../../src-main/resources';
import { buildMain } from '../../test-support/main-build';

/**
 * Issue 13 item 12: storing a model segmentation is idempotent per scan + model id + version. A re-run
 * (of a `segment --scan` killed with SIGKILL, or just twice) replaces plain unreviewed output in place
 * and never touches a signed-off output, one a correction was made from, or a correction itself.
 */
const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'stratum.cjs');
const SAMPLES = join(ROOT, 'resources', 'samples', 'NORMAL');

let work: string;

beforeAll(() => {
  buildMain();
  work = mkdtempSync(join(tmpdir(), 'stratum-leftovers-segment-'));
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

function modelRows(home: string): { scan_id: number; model_version: string; n: number }[] {
  const db = new Database(join(home, 'catalog.sqlite'), { readonly: true });
  try {
    return db
      .prepare("SELECT scan_id, model_version, COUNT(*) AS n FROM segmentations WHERE kind = 'model' GROUP BY scan_id, model_id, model_version ORDER BY scan_id")
      .all() as { scan_id: number; model_version: string; n: number }[];
  } finally {
    db.close();
  }
}

describe('segment --scan killed with SIGKILL, then run again', () => {
  it('ends with one model segmentation per scan', async () => {
    const home = mkdtempSync(join(work, 'cli-'));
    const imported = spawnSync(process.execPath, [CLI, '--home', home, 'import', SAMPLES, '--json'], { encoding: 'utf8' });
    expect(imported.status, imported.stderr).toBe(0);
    const child = spawn(process.execPath, [CLI, '--home', home, 'segment', '--scan', '1', '2', '3'], {
      env: { ...process.env, STRATUM_E2E_SLOW_JOBS_MS: '1500' },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const deadline = Date.now() + 60_000;
    while (modelRows(home).length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    await exited;
    const left = modelRows(home);
    expect(left.length).toBeGreaterThanOrEqual(1);
    expect(left.length).toBeLessThan(3); // killed mid-way

    for (let run = 0; run < 2; run++) {
      const r = spawnSync(process.execPath, [CLI, '--home', home, 'segment', '--scan', '1', '2', '3', '--json'], { encoding: 'utf8', timeout: 120_000 });
      expect(r.status, r.stderr).toBe(0);
    }
    expect(modelRows(home).map((row) => [row.scan_id, row.n])).toEqual([[1, 1], [2, 1], [3, 1]]);
  }, 180_000);
});

describe('re-running one model version (real engine)', () => {
  let s: Services;
  let ids: number[];

  beforeAll(async () => {
    s = createServices({ home: mkdtempSync(join(work, 'svc-')), host: 'node' });
    const job = await s.jobs.wait(s.jobs.start('import', 'Import', (ctx) => s.importer.run(SAMPLES, {}, ctx)));
    ids = resultOf(job, 'import').scanIds;
    expect(ids).toHaveLength(3);
  }, 60_000);
  afterAll(async () => {
    await s.close();
  });

  it('replaces plain output in place and keeps signed-off and corrected-from output untouched', async () => {
    const first = await s.segmentation.segmentScans(ids);
    const [signed, correctedFrom, plain] = first.map((r) => r.segmentationId) as [number, number, number];
    s.segmentations.signOff(signed, 'dr.test');
    const scan = s.scans.require(ids[1]!);
    const labels = new Uint8Array(await decodeLabelMap(s.segmentations.get(correctedFrom)!.labelMapPng, scan.width, scan.height));
    labels[scan.width * 200 + 300] = labels[scan.width * 200 + 300] === 5 ? 4 : 5;
    const correction = await saveCorrection(s, { scanId: ids[1]!, baseSegmentationId: correctedFrom, labels, actor: 'dr.test' });
    const before = new Map([signed, correctedFrom, plain].map((id) => [id, s.segmentations.get(id)!]));

    const again = await s.segmentation.segmentScans(ids);
    expect(again.map((r) => r.segmentationId)).toEqual([signed, correctedFrom, plain]);
    for (const id of [signed, correctedFrom]) expect(s.segmentations.get(id)).toEqual(before.get(id)); // untouched, byte for byte
    const replaced = s.segmentations.get(plain)!;
    expect(replaced.signOff).toBeNull();
    expect(replaced.createdAt > before.get(plain)!.createdAt).toBe(true);

    for (const id of ids) expect(s.segmentations.forScan(id).filter((x) => x.kind === 'model')).toHaveLength(1);
    // the clinician's work stays current
    expect(s.segmentations.currentSegmentation(ids[1]!)!.id).toBe(correction.id);
    expect(s.scans.require(ids[0]!).reviewState).toBe('signed-off');
    expect(s.scans.require(ids[1]!).reviewState).toBe('corrected');
    const audit = s.db.prepare("SELECT details_json FROM audit_log WHERE action = 'segment' ORDER BY id DESC LIMIT 3").all() as { details_json: string }[];
    expect(audit.map((a) => JSON.parse(a.details_json) as Record<string, unknown>).map((d) => d.kept ?? (d.replaced ? 'replaced' : 'added')).sort()).toEqual(['corrected from', 'replaced', 'signed off']);
  }, 120_000);

  it('adds a new row for another model version', async () => {
    const models = join(work, 'models');
    cpSync(join(resourcesDir(), 'models', 'stratum-unet-light'), join(models, 'stratum-unet-light'), { recursive: true });
    const cardPath = join(models, 'stratum-unet-light', 'model.json');
    writeFileSync(cardPath, JSON.stringify({ ...(JSON.parse(readFileSync(cardPath, 'utf8')) as object), version: '9.9.9-test' }));
    const other = new SegmentationService({ modelsRoot: models }, { scans: s.scans, segmentations: s.segmentations, library: s.library, changes: s.catalog });
    try {
      const r = await other.segmentScans([ids[2]!]);
      expect(s.segmentations.forScan(ids[2]!).filter((x) => x.kind === 'model').map((x) => x.modelVersion).sort()).toEqual([
        JSON.parse(readFileSync(join(resourcesDir(), 'models', 'stratum-unet-light', 'model.json'), 'utf8')).version,
        '9.9.9-test',
      ].sort());
      expect(s.segmentations.currentSegmentation(ids[2]!)!.id).toBe(r[0]!.segmentationId);
    } finally {
      await other.close();
    }
  }, 120_000);
});
