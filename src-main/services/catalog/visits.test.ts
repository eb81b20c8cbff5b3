import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundaryRow, moveBoundary } from '../../../src-shared/analysis/boundary-edit';
import { createServices, type Services } from '../container';
import { saveCorrection } from '../segmentation/corrections';
import { decodeLabelMap } from './label-map-png';
import { visitsOfScan } from './visits';

const SAMPLES = join(__dirname, '../../../resources/samples/NORMAL');
let s: Services;
let home: string;
let work: string;

// Three real OCTID scans imported as three visits of one patient's right eye, segmented by the shipped model.
beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'stratum-visits-'));
  work = mkdtempSync(join(tmpdir(), 'stratum-visits-src-'));
  for (const n of [30, 45, 60]) copyFileSync(join(SAMPLES, `NORMAL${n}.jpeg`), join(work, `NORMAL${n}.jpeg`));
  writeFileSync(join(work, 'visits.csv'), ['file,patient_id,eye,date', 'NORMAL45.jpeg,P7,OD,2025-05-02', 'NORMAL30.jpeg,P7,OD,2024-04-01', 'NORMAL60.jpeg,P7,OD,2026-06-03'].join('\n'));
  s = createServices({ home, host: 'node' });
  const job = await s.jobs.wait(s.jobs.start('import', 'Import', (ctx) => s.importer.run(join(work, 'visits.csv'), { segment: true }, ctx)));
  expect(job.state).toBe('done');
}, 120_000);
afterAll(async () => {
  await s.close();
  rmSync(home, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

const scanOf = (name: string) => s.scans.list({ text: name }).items[0]!;

describe('visits of one eye', () => {
  it('lines up the three visits by date with the change from the first, in micrometres', () => {
    const v = visitsOfScan(s, scanOf('NORMAL60').id);
    expect(v).toMatchObject({ patient: 'P7', eye: 'OD', undated: [] });
    expect(v.rows.map((r) => r.acquiredAt)).toEqual(['2024-04-01', '2025-05-02', '2026-06-03']);
    expect(v.rows.every((r) => r.unit === 'um')).toBe(true);
    const [first, , last] = v.rows;
    expect(first!.changeFromBaseline).toBeNull();
    const trt = last!.values.TRT.rightInner!;
    expect(trt).toBeGreaterThan(200);
    expect(last!.changeFromBaseline!.TRT.rightInner).toBeCloseTo(trt - first!.values.TRT.rightInner!, 1);
  });

  it("follows a clinician's correction: the corrected visit's RPE change grows by what was drawn", async () => {
    const scan = scanOf('NORMAL60');
    const before = visitsOfScan(s, scan.id).rows[2]!;
    const model = s.segmentations.latestSegmentation(scan.id, 'model')!;
    const labels = new Uint8Array(await decodeLabelMap(model.labelMapPng, scan.width, scan.height));
    const map = { labels, width: scan.width, height: scan.height };
    for (let x = 0; x < scan.width; x++) {
      const row = boundaryRow(map, x, 7);
      if (row !== null) moveBoundary(map, 7, x, row + 5); // RPE 5 px (20 um) thicker everywhere
    }
    await saveCorrection(s, { scanId: scan.id, baseSegmentationId: model.id, labels, actor: 'dr.visits' });
    const after = visitsOfScan(s, scan.id).rows[2]!;
    expect(after.corrected).toBe(true);
    expect(after.changeFromBaseline!.RPE.centre! - before.changeFromBaseline!.RPE.centre!).toBeCloseTo(20, 0);
  });

  it('says why a scan without a patient cannot be linked to other visits', () => {
    const lone = s.scans.insert({ ...scanOf('NORMAL30'), patientId: null, sha256: 'f'.repeat(64), originalPath: '/x/lone.jpeg', tags: [] });
    const v = visitsOfScan(s, lone);
    expect(v.notes[0]).toContain('no patient id');
    expect(v.rows).toHaveLength(0); // not segmented
  });
});
