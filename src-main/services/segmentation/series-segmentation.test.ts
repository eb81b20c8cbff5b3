import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deviceDifference } from '../../../src-shared/analysis/device-difference';
import type { ImportResult } from '../../../src-shared/domain/catalog';
import { haveSharedData, sharedData } from '../../../test-support/shared-data';
import { openTempCatalog, type TempCatalog } from '../../../test-support/temp-catalog';
import { decodeLabelMap } from '../catalog/label-map-png';
import { segmentSeries, type SeriesRun } from './series-segmentation';

const run = haveSharedData('formats') ? describe : describe.skip;

let t: TempCatalog;
beforeEach(() => {
  t = openTempCatalog('series-segment');
});
afterEach(async () => {
  await t.close();
});

/** Imports a vendor file (or export folder) and returns its series' scan id. */
async function importOne(path: string): Promise<number> {
  const s = t.services;
  const end = await s.jobs.wait(s.jobs.start('import', 'Import', (ctx) => s.importer.run(path, {}, ctx)));
  const result = end.result as ImportResult;
  const series = result.files.filter((f) => f.format.startsWith('Heidelberg'));
  expect(series).toHaveLength(1);
  return series[0]!.scanId!;
}

run('segmenting a series, B-scan by B-scan (issue 16)', () => {
  it('segments every B-scan with progress per B-scan; a cancelled run resumes where it stopped, skipping what the same model did', async () => {
    const s = t.services;
    const scanId = await importOne(sharedData('formats', 'eyepy', 'tests', 'data', 'filetypes', 'heyex_xml', 'test_volume'));
    expect(s.scans.require(scanId).bscanCount).toBe(10);

    // first run: cancelled once four B-scans are stored
    const details: string[] = [];
    const off = s.bus.on('job.progress', (p) => {
      if (p.kind === 'segment' && p.detail) details.push(p.detail);
      if (p.kind === 'segment' && p.detail === 'B-scan 4/10') s.jobs.cancel(p.jobId);
    });
    const first = await s.jobs.wait(s.jobs.start('segment', 'Segment', (ctx) => segmentSeries(s, scanId, ctx)));
    off();
    expect(first.state).toBe('cancelled');
    expect(details.slice(0, 5)).toEqual(['B-scan 0/10', 'B-scan 1/10', 'B-scan 2/10', 'B-scan 3/10', 'B-scan 4/10']);
    const model = s.segmentation.status().model!;
    const doneBefore = s.segmentations.bscansSegmentedBy(scanId, model);
    expect(doneBefore.size).toBeGreaterThanOrEqual(4);
    expect(doneBefore.size).toBeLessThan(10);

    // second run: only the rest
    const second = await s.jobs.wait(s.jobs.start('segment', 'Segment', (ctx) => segmentSeries(s, scanId, ctx)));
    expect(second.state).toBe('done');
    const r = second.result as SeriesRun;
    expect(r.bscans).toEqual({ total: 10, segmented: 10 - doneBefore.size, skipped: doneBefore.size });
    const all = s.segmentations.forScan(scanId);
    expect(all.map((g) => g.bscanIndex).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]); // one each, none twice
    // each B-scan's own current segmentation, at the B-scan's size
    for (const index of [0, 9]) expect(s.segmentations.currentSegmentation(scanId, index)?.summary?.width).toBe(50);

    // a third run has nothing left to do
    const third = await segmentSeries(s, scanId);
    expect(third.bscans).toEqual({ total: 10, segmented: 0, skipped: 10 });
    expect(s.segmentations.forScan(scanId)).toHaveLength(10);
  });

  it("on the Spectralis line scan, Stratum's ILM and BM lie within a few µm of the device's", async () => {
    const s = t.services;
    const scanId = await importOne(sharedData('formats', 'spectralis-vol', 'Willis_B_716_0.vol'));
    const [stored] = await s.segmentation.segmentScans([scanId]);
    const seg = s.segmentations.get(stored!.segmentationId)!;
    const scan = s.scans.require(scanId);
    const labels = await decodeLabelMap(seg.labelMapPng, scan.width, scan.height);
    const device = s.series.deviceLines(scanId, 0)!;
    expect(device.name).toBe('Heidelberg Engineering Spectralis (file)');
    const d = deviceDifference(device.lines, labels, scan.width, scan.height, scan.axialUmPerPx);
    console.log(`Willis_B_716_0.vol, device - Stratum per boundary: ${d.map((b) => `${b.name} ${b.meanAbsUm} µm mean abs (${b.meanSignedUm} signed, ${b.columns} columns)`).join('; ')}`);
    const byName = Object.fromEntries(d.map((b) => [b.name, b]));
    expect(byName.ILM!.columns).toBeGreaterThan(600);
    expect(byName.BM!.columns).toBeGreaterThan(600);
    // a failed segmentation or a misread device line is tens of µm off; agreement is within a few pixels
    expect(byName.ILM!.meanAbsUm).toBeLessThan(15);
    expect(byName.BM!.meanAbsUm).toBeLessThan(25);
  });
});

