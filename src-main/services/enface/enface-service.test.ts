import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportResult } from '../../../src-shared/domain/catalog';
import { haveSharedData, sharedData } from '../../../test-support/shared-data';
import { openTempCatalog, type TempCatalog } from '../../../test-support/temp-catalog';
import { segmentSeries } from '../segmentation/series-segmentation';
import { EnfaceService } from './enface-service';

const EYEPY_XML = ['formats', 'eyepy', 'tests', 'data', 'filetypes', 'heyex_xml', 'test_volume'] as const;
const run = haveSharedData(...EYEPY_XML) ? describe : describe.skip;

let t: TempCatalog;
beforeEach(() => {
  t = openTempCatalog('enface-service');
});
afterEach(async () => {
  await t.close();
});

async function importVolume(): Promise<number> {
  const s = t.services;
  const end = await s.jobs.wait(s.jobs.start('import', 'Import', (ctx) => s.importer.run(sharedData(...EYEPY_XML), {}, ctx)));
  return (end.result as ImportResult).files.find((f) => f.format.startsWith('Heidelberg'))!.scanId!;
}

const service = () => new EnfaceService({ catalog: t.services, reportsDir: join(t.services.folder.home, 'reports'), appVersion: 'test' });

run('the en-face maps of a catalog volume for the viewer (issue 17)', () => {
  it("gives the device's maps with the grid, the scale and the fovea; Stratum's once segmented (a new segmentation rebuilds); writes the volume report", async () => {
    const scanId = await importVolume();
    const enface = service();
    // nothing segmented yet: Stratum has no map, the device's SegLines do
    await expect(enface.maps(scanId, 'total', 'stratum')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const device = await enface.maps(scanId, 'total', 'device');
    expect(device).toMatchObject({ scanId, layer: 'total', source: 'device', unit: 'um', sources: ['device'], eye: 'OD' });
    expect(device.values).toHaveLength(device.rows * device.cols);
    const withData = device.values.filter((v): v is number => v !== null);
    expect(withData.length).toBeGreaterThan(0);
    expect(withData.length).toBeLessThan(device.values.length); // the strip, not the whole box
    // the known boundaries: ILM row 9.6 to BM 30.2 at 3.872 µm/px = 79.76 µm on every A-scan with lines
    for (const v of withData) expect(Math.abs(v - 79.7632)).toBeLessThan(0.5);
    expect(device.scale.min).toBeLessThanOrEqual(79.7632);
    expect(device.scale.max).toBeGreaterThanOrEqual(79.7632);
    expect(device.grid!.subfields.map((s) => s.subfield)).toEqual(expect.arrayContaining(['C0', 'N1', 'T1', 'S2', 'I2']));
    // a 0.28 mm tall strip: the superior and inferior subfields are partial (empty), never a plain number
    const s2 = device.grid!.subfields.find((s) => s.subfield === 'S2')!;
    expect(s2).toMatchObject({ partial: true, meanUm: null, coveragePct: 0 });
    expect(device.available).not.toContain('Choroid');
    await expect(enface.maps(scanId, 'Choroid', 'device')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(typeof device.fovea.how).toBe('string');

    // another layer of the same analysis: served from the cache
    const t0 = performance.now();
    const rpe = await enface.maps(scanId, 'RPE', 'device');
    const cachedMs = performance.now() - t0;
    expect(rpe.layer).toBe('RPE');
    expect(rpe.scale.max).toBeLessThan(device.scale.min);
    expect(cachedMs).toBeLessThan(100);

    // segmenting adds segmentations: the next call rebuilds and now has Stratum's maps too
    const s = t.services;
    const job = await s.jobs.wait(s.jobs.start('segment', 'Segment', (ctx) => segmentSeries(s, scanId, ctx)));
    expect(job.state).toBe('done');
    const stratum = await enface.maps(scanId, 'total', 'stratum');
    expect(stratum.source).toBe('stratum');
    expect(stratum.sources).toEqual(['stratum', 'device']);

    const { path } = await enface.exportReport(scanId);
    expect(path.startsWith(join(s.folder.home, 'reports'))).toBe(true);
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path).subarray(0, 5).toString()).toBe('%PDF-');
    await expect(enface.exportReport(scanId, 'relative.pdf')).rejects.toMatchObject({ code: 'BAD_INPUT' });
  }, 120_000);

  it('refuses a scan that does not exist', async () => {
    const enface = service();
    await expect(enface.maps(999, 'total', 'device')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
