import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../resources';
import { SegmentationService } from '../segmentation/segmentation-service';
import { evaluateAgainstDevice, linesFromLabels } from './device-lines';

const VOL_DIR = join(packageRoot(), '..', 'shared', 'data', 'formats', 'spectralis-vol');
const LINE = join(VOL_DIR, 'Willis_B_716_0.vol');
const CIRCLE = join(VOL_DIR, 'Willis_B_716_2.vol');
const JPEG = join(packageRoot(), '..', 'shared', 'data', 'octid-deepeye', 'images', 'NORMAL150.jpeg');
// runs the bundled inference worker (dist/main/workers/inference.worker.cjs; `npm test` builds it first)
const WORKER = join(packageRoot(), 'dist', 'main', 'workers', 'inference.worker.cjs');

describe('linesFromLabels', () => {
  it('puts ILM at the upper edge of the first labelled row and BM at the lower edge of the last RPE row', () => {
    // one column: background 0-2, NFL 3-4, RPE (7) 5-6, choroid 7, background 8-9
    const col = [0, 0, 0, 1, 1, 7, 7, 8, 0, 0];
    const lines = linesFromLabels(Uint8Array.from(col), 1, col.length);
    expect(lines.ILM[0]).toBe(2.5);
    expect(lines.BM[0]).toBe(6.5);
    expect(Number.isNaN(linesFromLabels(new Uint8Array(10), 1, 10).ILM[0]!)).toBe(true); // no tissue: no line
  });
});

describe('evaluateAgainstDevice (Spectralis .vol, the shipped model through the app engine)', () => {
  let service: SegmentationService;
  beforeAll(() => {
    for (const f of [LINE, CIRCLE, JPEG, WORKER]) if (!existsSync(f)) throw new Error(`missing ${f} (../shared/data and npm run build:main)`);
    service = new SegmentationService({ modelId: 'stratum-unet-light' });
  });
  afterAll(async () => {
    await service.close();
  });

  it('scores ILM and BM per A-scan against the device lines, in px and µm, and names a file without lines', async () => {
    const report = await evaluateAgainstDevice([LINE, JPEG, CIRCLE], service);
    expect(report.predictor).toMatch(/^stratum-unet-light 1\.1\.0/);
    expect(report.files.map((f) => [f.kind, f.bscans])).toEqual([
      ['line', 1],
      ['circle', 1],
    ]);
    const line = report.files[0]!;
    expect(line.axialUm).toBeCloseTo(3.8717, 3);
    const [ilm, bm] = line.lines;
    // the device marks ILM on 759 of 768 A-scans and BM on 633 (not across the optic disc)
    expect(ilm).toMatchObject({ line: 'ILM', columns: 759 });
    expect(bm).toMatchObject({ line: 'BM', columns: 633 });
    for (const l of report.files.flatMap((f) => f.lines)) {
      expect(l.found).toBeGreaterThan(0.95);
      expect(l.maePx!).toBeGreaterThan(0);
      expect(l.maePx!).toBeLessThan(3); // a normal eye's ILM/BM: within a few pixels of the device
      expect(l.maeUm!).toBeCloseTo(l.maePx! * 3.8717, 1);
      expect(Math.abs(l.meanSignedPx!)).toBeLessThanOrEqual(l.maePx! + 1e-9);
    }
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]!.file).toBe(JPEG);
    expect(report.failed[0]!.error).toMatch(/BAD_INPUT/);
  });
});
