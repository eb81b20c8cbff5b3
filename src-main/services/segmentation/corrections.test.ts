import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundaryRow, strokeBoundary } from '../../../src-shared/analysis/boundary-edit';
import { resultOf } from '../../../src-shared/contract/channels/jobs';
import { createServices, type Services } from '../container';
import { createReportService } from '../reports';
import { decodeLabelMap } from '../catalog/label-map-png';
import { saveCorrection } from './corrections';
import { exportTrainingSet } from '../conversion/catalog-to-training-set';

const SAMPLES = join(__dirname, '../../../resources/samples/NORMAL');
let s: Services;
let home: string;
let scanId: number;
let modelSegId: number;

// One real OCTID scan, segmented by the shipped ONNX model through the real engine.
beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'stratum-corrections-'));
  s = createServices({ home, host: 'node' });
  const job = await s.jobs.wait(s.jobs.start('import', 'Import', (ctx) => s.importer.run(SAMPLES, { segment: true }, ctx)));
  expect(job.state).toBe('done');
  expect(resultOf(job, 'import').imported).toBe(3);
  scanId = s.scans.list({ text: 'NORMAL30' }).items[0]!.id;
  modelSegId = s.segmentations.latestSegmentation(scanId, 'model')!.id;
}, 120_000);
afterAll(async () => {
  await s.close();
  rmSync(home, { recursive: true, force: true });
});

describe('boundary corrections', () => {
  it('stores the corrected map as a manual segmentation with recomputed thickness and the share changed', async () => {
    const scan = s.scans.require(scanId);
    const base = s.segmentations.get(modelSegId)!;
    const labels = new Uint8Array(await decodeLabelMap(base.labelMapPng, scan.width, scan.height));
    const map = { labels, width: scan.width, height: scan.height };
    // Drag the RPE/choroid boundary 5 px deeper across columns 100-199 (RPE grows by 5 px there).
    const rowAt = (x: number) => boundaryRow(map, x, 7)!;
    for (let x = 100; x < 200; x++) strokeBoundary(map, 7, { x, y: rowAt(x) + 5 }, { x, y: rowAt(x) + 5 });
    const saved = await saveCorrection(s, { scanId, baseSegmentationId: modelSegId, labels, actor: 'dr.test' });

    expect(saved).toMatchObject({ kind: 'manual', correctedBy: 'dr.test', signOff: null, modelId: base.modelId });
    const c = saved.summary!.correction!;
    expect(c).toMatchObject({ baseSegmentationId: modelSegId, changedPixels: 500, correctedBy: 'dr.test' });
    expect(c.changedShare).toBeGreaterThan(0.001);
    expect(c.changedShare).toBeLessThan(0.01);
    // Thickness is recomputed from the corrected map: RPE is 5 px x 4 um thicker in the edited columns only.
    const rpe = (sum: typeof saved.summary) => sum!.layers.find((l) => l.layer === 'RPE')!.profile;
    expect(rpe(saved.summary)[150]! - rpe(base.summary)[150]!).toBeCloseTo(20, 5);
    expect(rpe(saved.summary)[300]).toBe(rpe(base.summary)[300]);
    // The model's own segmentation is untouched; the scan now reads as corrected, with the audit trail.
    expect(s.segmentations.get(modelSegId)!.labelMapPng.equals(base.labelMapPng)).toBe(true);
    expect(s.scans.require(scanId).reviewState).toBe('corrected');
    expect(s.segmentations.currentSegmentation(scanId)?.id).toBe(saved.id);

    // The report of the scan states the share corrected by hand and who corrected it.
    const { path } = await createReportService(s).exportScan(scanId, 'pdf', join(home, 'corrected.pdf'));
    const txt = execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' });
    expect(txt).toContain('Segmentation: corrected by dr.test');
    expect(txt).toContain(`Corrected share of pixels: ${(c.changedShare * 100).toFixed(1)}`);
  });

  it('refuses a map of the wrong size, an unknown class or a base from another scan, and stores nothing', async () => {
    const scan = s.scans.require(scanId);
    const before = s.segmentations.forScan(scanId).length;
    const other = s.scans.list({ text: 'NORMAL45' }).items[0]!.id;
    const otherSeg = s.segmentations.latestSegmentation(other, 'model')!.id;
    await expect(saveCorrection(s, { scanId, baseSegmentationId: modelSegId, labels: new Uint8Array(10) })).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('750x500') });
    const nine = new Uint8Array(scan.width * scan.height);
    nine[scan.width * 3 + 7] = 9;
    await expect(saveCorrection(s, { scanId, baseSegmentationId: modelSegId, labels: nine })).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('class 9 at column 7, row 3') });
    await expect(saveCorrection(s, { scanId, baseSegmentationId: otherSeg, labels: nine })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(s.segmentations.forScan(scanId)).toHaveLength(before);
  });

  it('exports the correction as a training pair that the PyTorch pipeline reads', async () => {
    const out = join(home, 'training-set');
    const r = exportTrainingSet(s, {}, out);
    expect(r.items.map((i) => i.originalPath.split('/').pop())).toEqual(['NORMAL30.jpeg']);
    expect(r.items[0]!.correction).toMatchObject({ correctedBy: 'dr.test' });
    expect(r.skipped).toHaveLength(2);
    const corrected = s.segmentations.latestSegmentation(scanId, 'manual')!;
    expect(readFileSync(r.items[0]!.mask).equals(corrected.labelMapPng)).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).items).toHaveLength(1);
    // The training loader (training/stratum_train/data.py) takes the folder as it is.
    const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import torch, PIL'], { stdio: 'ignore' }).status === 0);
    if (!python) return; // CI installs Debian's PyTorch; without it this last step cannot run
    const code = `from stratum_train.data import load_png_mask_dataset as L; s = L(${JSON.stringify(join(out, 'images'))}, ${JSON.stringify(join(out, 'masks'))}); print(len(s), s[0].stem, s[0].image.shape, int(s[0].mask.max()))`;
    const printed = execFileSync(python, ['-c', code], { cwd: join(__dirname, '../../../training'), encoding: 'utf8' });
    expect(printed.trim()).toBe('1 NORMAL30 (500, 750) 8');
  });
});
