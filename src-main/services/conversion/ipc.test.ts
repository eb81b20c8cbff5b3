import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectErr, expectOk } from '../../../test-support/expect-ok';
import { haveSharedData, sharedData } from '../../../test-support/shared-data';
import type { ConversionReport } from '../../../src-shared/annotations/report';
import { createDispatcher } from '../../ipc/dispatcher';
import { createHandlers } from '../../ipc/handlers';
import { createServices, type Services } from '../container';

const DATA = sharedData('octid-deepeye');
const HAVE_DATA = haveSharedData('octid-deepeye');
let home: string;
let s: Services;
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'stratum-convert-ipc-'));
  s = createServices({ home, host: 'node' });
});
afterAll(async () => {
  await s.close();
  rmSync(home, { recursive: true, force: true });
});

describe.runIf(HAVE_DATA)('convert channels', () => {
  it('convert.vgg runs as a job whose result is the report; convert.validate writes nothing', async () => {
    const dispatch = createDispatcher(createHandlers(s));
    const labels = join(home, 'one.json');
    const poly = { shape_attributes: { name: 'polygon', all_points_x: [0, 749, 749, 0], all_points_y: [100, 100, 120, 120] }, region_attributes: { label: 'Elipsoid Zone' } };
    writeFileSync(labels, JSON.stringify({ 'NORMAL1.jpeg': { filename: 'NORMAL1.jpeg', regions: { '0': poly } } }));
    const out = join(home, 'masks');
    const started = await dispatch('convert.vgg', { labelsPath: labels, imagesDir: join(DATA, 'images'), outDir: out });
    const end = await s.jobs.wait(expectOk(started, 'convert.vgg').jobId);
    expect(end.state).toBe('done');
    const report = end.result as ConversionReport;
    expect(report.masksWritten).toBe(1);
    expect(report.images[0]!.classesPresent).toEqual([0, 6]);
    expect(existsSync(join(out, 'NORMAL1.png'))).toBe(true);

    const v = await dispatch('convert.validate', { labelsPath: labels, imagesDir: join(DATA, 'images') });
    expect(expectOk(v, 'convert.validate').images[0]!.mask).toBeUndefined();

    writeFileSync(labels, '{}');
    const bad = await dispatch('convert.validate', { labelsPath: labels, imagesDir: join(DATA, 'images') });
    expect(expectErr(bad).code).toBe('BAD_INPUT');
    expect((await dispatch('convert.vgg', { labelsPath: labels })).ok).toBe(false);
  });

  it('intoCatalog attaches the mask to the scan of the same image as a manual segmentation', async () => {
    const dispatch = createDispatcher(createHandlers(s));
    const imgDir = join(home, 'scans');
    mkdirSync(imgDir, { recursive: true });
    copyFileSync(join(DATA, 'images', 'NORMAL10.jpeg'), join(imgDir, 'NORMAL10.jpeg'));
    copyFileSync(join(DATA, 'images', 'NORMAL11.jpeg'), join(imgDir, 'NORMAL11.jpeg'));
    const importDir = join(home, 'to-import');
    mkdirSync(importDir, { recursive: true });
    copyFileSync(join(DATA, 'images', 'NORMAL10.jpeg'), join(importDir, 'NORMAL10.jpeg'));
    const imp = await dispatch('import.start', { path: importDir });
    expect((await s.jobs.wait(expectOk(imp, 'import.start').jobId)).state).toBe('done');
    const labels = join(home, 'two.json');
    const poly = { shape_attributes: { name: 'polygon', all_points_x: [0, 749, 749, 0], all_points_y: [100, 100, 120, 120] }, region_attributes: { label: 'RPE' } };
    writeFileSync(labels, JSON.stringify({ 'NORMAL10.jpeg': { filename: 'NORMAL10.jpeg', regions: [poly] }, 'NORMAL11.jpeg': { filename: 'NORMAL11.jpeg', regions: [poly] } }));
    const started = await dispatch('convert.vgg', { labelsPath: labels, imagesDir: imgDir, outDir: join(home, 'masks2'), intoCatalog: true });
    const end = await s.jobs.wait(expectOk(started, 'convert.vgg').jobId);
    expect(end.state).toBe('done');
    const report = end.result as ConversionReport;
    const attached = report.images.find((i) => i.image === 'NORMAL10.jpeg')!.catalog as { scanId: number; segmentationId: number };
    expect(attached.scanId).toBeGreaterThan(0);
    expect(report.images.find((i) => i.image === 'NORMAL11.jpeg')!.catalog).toEqual({ skipped: expect.stringContaining('no catalog scan') });
    const seg = s.segmentations.latestSegmentation(attached.scanId, 'manual');
    expect(seg?.id).toBe(attached.segmentationId);
    expect(seg?.labelMapPng.length).toBeGreaterThan(0);
  });
});
