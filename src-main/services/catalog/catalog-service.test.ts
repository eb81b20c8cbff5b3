import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundaryRow, strokeBoundary } from '../../../src-shared/analysis/boundary-edit';
import { resultOf } from '../../../src-shared/contract/channels/jobs';
import type { ChannelName } from '../../../src-shared/contract';
import { expectOk } from '../../../test-support/expect-ok';
import { haveSharedData, sharedData } from '../../../test-support/shared-data';
import { openTempCatalog, type TempCatalog } from '../../../test-support/temp-catalog';
import { createDispatcher, type Dispatch } from '../../ipc/dispatcher';
import { createHandlers } from '../../ipc/handlers';
import type { CatalogChange } from './catalog-service';
import { decodeLabelMap } from './label-map-png';

const NORMAL = sharedData('octid-unannotated', 'NORMAL');

/**
 * Every write the user can make, through the channels the app calls, announces itself exactly once
 * (the renderer's catalog list refreshes on catalog.changed and nowhere else), and a call that changes
 * nothing announces nothing.
 */
describe.runIf(haveSharedData('octid-unannotated', 'NORMAL'))('catalog.changed: once per write, on a real catalog', () => {
  let t: TempCatalog;
  let dispatch: Dispatch;
  let events: CatalogChange[] = [];
  let a: number;
  let b: number;

  /** The events `write` caused, once it (and any job it started) has finished. */
  async function changesOf(write: () => Promise<unknown>): Promise<CatalogChange[]> {
    events = [];
    await write();
    return events;
  }
  async function call<C extends ChannelName>(channel: C, payload: unknown) {
    return expectOk(await dispatch(channel, payload), channel);
  }

  beforeAll(() => {
    t = openTempCatalog('catalog-changed');
    for (const n of [26, 27]) copyFileSync(join(NORMAL, `NORMAL${n}.jpeg`), join(t.work, `NORMAL${n}.jpeg`));
    dispatch = createDispatcher(createHandlers(t.services));
    t.services.catalog.onChange((change) => events.push(change));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('import: one event naming the new scans; importing the same folder again: none', async () => {
    const changes = await changesOf(async () => {
      const { jobId } = await call('import.start', { path: t.work });
      expect(resultOf(await t.services.jobs.wait(jobId), 'import').imported).toBe(2);
    });
    [a, b] = t.services.scans.list({ sort: 'id', order: 'asc' }).items.map((s) => s.id) as [number, number];
    expect(changes).toEqual([{ reason: 'import', scanIds: [a, b] }]);
    const again = await changesOf(async () => {
      const { jobId } = await call('import.start', { path: t.work });
      expect(resultOf(await t.services.jobs.wait(jobId), 'import').duplicates).toBe(2);
    });
    expect(again).toEqual([]);
  }, 60_000);

  it('segment (the real ONNX model): one event for the scan, once its segmentation is stored', async () => {
    const changes = await changesOf(async () => {
      const { jobId } = await call('segment.scan', { scanId: a });
      expect((await t.services.jobs.wait(jobId)).state).toBe('done');
    });
    expect(changes).toEqual([{ reason: 'segment', scanIds: [a] }]);
    expect(t.services.scans.require(a).reviewState).not.toBe('not-segmented');
  }, 120_000);

  it.runIf(haveSharedData('formats'))('segment a series of 10 B-scans: one event for the scan, not one per B-scan', async () => {
    const xml = sharedData('formats', 'eyepy', 'tests', 'data', 'filetypes', 'heyex_xml', 'test_volume');
    const end = await t.services.jobs.wait(t.services.jobs.start('import', 'Import', (ctx) => t.services.importer.run(xml, {}, ctx)));
    const series = resultOf(end, 'import').files.find((f) => f.format.startsWith('Heidelberg'))?.scanId;
    expect(t.services.scans.require(series!).bscanCount).toBe(10);
    const changes = await changesOf(async () => {
      const { jobId } = await call('segment.scan', { scanId: series });
      expect((await t.services.jobs.wait(jobId)).state).toBe('done');
    });
    expect(changes).toEqual([{ reason: 'segment', scanIds: [series] }]);
    expect(await changesOf(() => call('catalog.deleteScan', { scanId: series }))).toHaveLength(1); // out of the way of the next tests
  }, 120_000);

  it('bulk segment of both scans: one event per stored batch', async () => {
    const changes = await changesOf(async () => {
      const { jobId } = await call('bulk.segment', { selection: { kind: 'ids', ids: [a, b] }, scope: 'all', force: true });
      expect((await t.services.jobs.wait(jobId)).state).toBe('done');
    });
    expect(changes).toEqual([{ reason: 'segment', scanIds: [a, b] }]);
  }, 120_000);

  it('a correction: one event; its sign-off and the withdrawal: one each', async () => {
    const scan = t.services.scans.require(a);
    const base = t.services.segmentations.currentSegmentation(a)!;
    const labels = new Uint8Array(await decodeLabelMap(base.labelMapPng, scan.width, scan.height));
    const map = { labels, width: scan.width, height: scan.height };
    // the RPE/choroid boundary 3 px deeper over 50 columns: a clinician-sized correction
    for (let x = 100; x < 150; x++) {
      const y = boundaryRow(map, x, 7)! + 3;
      strokeBoundary(map, 7, { x, y }, { x, y });
    }
    let correctionId = 0;
    const corrected = await changesOf(async () => {
      const seg = await call('segment.saveCorrection', { scanId: a, baseSegmentationId: base.id, labelsBase64: Buffer.from(labels).toString('base64') });
      correctionId = seg.segmentationId;
    });
    expect(corrected).toEqual([{ reason: 'review', scanIds: [a] }]);
    expect(t.services.scans.require(a).reviewState).toBe('corrected');

    expect(await changesOf(() => call('segment.signOff', { segmentationId: correctionId }))).toEqual([{ reason: 'review', scanIds: [a] }]);
    expect(t.services.scans.require(a).reviewState).toBe('signed-off');
    // signing off twice is refused (CONFLICT), and a refused write announces nothing
    expect(await changesOf(() => dispatch('segment.signOff', { segmentationId: correctionId }))).toEqual([]);
    expect(await changesOf(() => call('segment.signOff', { segmentationId: correctionId, withdraw: true }))).toEqual([{ reason: 'review', scanIds: [a] }]);
  }, 60_000);

  it('a metadata edit of two scans: one event naming both; the same edit again changes nothing and says nothing', async () => {
    const edit = () => call('catalog.updateScans', { scanIds: [a, b], changes: { device: 'Cirrus HD-OCT 5000' } });
    expect(await changesOf(edit)).toEqual([{ reason: 'edit', scanIds: [a, b] }]);
    expect(t.services.scans.require(b).device).toBe('Cirrus HD-OCT 5000');
    expect(await changesOf(edit)).toEqual([]);
  });

  it('delete and restore: one event each, and each audited once', async () => {
    const audited = (action: string) => t.services.audit.forScan(b).filter((e) => e.action === action).length;
    expect(await changesOf(() => call('catalog.deleteScan', { scanId: b }))).toEqual([{ reason: 'delete', scanIds: [b] }]);
    expect(t.services.scans.require(b).deletedAt).not.toBeNull();
    expect(await changesOf(() => call('catalog.restoreScan', { scanId: b }))).toEqual([{ reason: 'restore', scanIds: [b] }]);
    expect(t.services.scans.require(b).deletedAt).toBeNull();
    expect([audited('delete'), audited('restore')]).toEqual([1, 1]);
  });
});
