import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportResult } from '../../../src-shared/domain/catalog';
import { haveSharedData, sharedData } from '../../../test-support/shared-data';
import { openTempCatalog, type TempCatalog } from '../../../test-support/temp-catalog';
import { segmentSeries } from '../segmentation/series-segmentation';
import { enfaceChannels } from '../../../src-shared/contract/channels/enface';
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

const service = () => new EnfaceService({ catalog: t.services, reportsDir: join(t.services.folder.home, 'reports'), appVersion: 'test', fovea: t.services.catalog });

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

  it("moves the fovea: the grid recentres, C0 changes, the move is audited with before and after; reset restores the automatic one; bad positions are refused", async () => {
    const scanId = await importVolume();
    const enface = service();
    const s = t.services;
    const auto = await enface.maps(scanId, 'total', 'device');
    expect(auto.fovea.method).not.toBe('user');
    const c0 = (v: typeof auto) => v.grid!.subfields.find((f) => f.subfield === 'C0')!;
    const changes: unknown[] = [];
    const off = s.catalog.onChange((c) => changes.push(c));
    // 1.5 mm along the strip from the automatic centre (still on the scan, the C0 disc now half off the data)
    const target = { xMm: auto.fovea.centreMm.x + 1.5, yMm: auto.fovea.centreMm.y };
    const set = await enface.setFovea(scanId, target);
    off();
    expect(set.fovea).toMatchObject({ ...target, by: expect.any(String) });
    expect(changes).toEqual([{ reason: 'fovea', scanIds: [scanId] }]);
    const moved = await enface.maps(scanId, 'total', 'device');
    expect(moved.fovea).toMatchObject({ method: 'user', how: `set by ${set.fovea!.by}` });
    expect(moved.fovea.centreMm.x).toBeCloseTo(target.xMm, 3);
    // the grid is graded around the placement: a 0.28 mm strip, so the discs' coverage shifts with it
    expect(moved.grid).not.toEqual(auto.grid);
    expect(c0(moved).coveragePct).not.toBe(c0(auto).coveragePct);
    const audit = s.audit.forScan(scanId).filter((e) => e.action === 'fovea');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: set.fovea!.by, details: { before: null, after: target } });

    // refused: outside the scanned area, not finite; nothing stored or audited
    await expect(enface.setFovea(scanId, { xMm: 500, yMm: target.yMm })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('fovea.xMm') });
    await expect(enface.setFovea(scanId, { xMm: target.xMm, yMm: Number.NaN })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('fovea.yMm') });
    await expect(enface.setFovea(scanId, { xMm: target.xMm, yMm: auto.fovea.centreMm.y + 3 })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('fovea.yMm') });
    await expect(enface.setFovea(999, target)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(s.audit.forScan(scanId).filter((e) => e.action === 'fovea')).toHaveLength(1);
    const wire = enfaceChannels['enface.setFovea'].request;
    expect(wire.safeParse({ scanId, fovea: { xMm: Infinity, yMm: 1 } }).success).toBe(false);
    expect(wire.safeParse({ scanId, fovea: null }).success).toBe(true);

    // back to automatic
    await enface.setFovea(scanId, null);
    const reset = await enface.maps(scanId, 'total', 'device');
    expect(reset.fovea).toEqual(auto.fovea);
    expect(reset.grid).toEqual(auto.grid);
    expect(s.audit.forScan(scanId).filter((e) => e.action === 'fovea').at(-1)!.details).toEqual({ before: target, after: null });
  }, 120_000);

  it('refuses a scan that does not exist', async () => {
    const enface = service();
    await expect(enface.maps(999, 'total', 'device')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
