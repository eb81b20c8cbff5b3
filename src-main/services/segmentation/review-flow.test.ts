/**
 * The review journey on a real catalog (issue 15 section 3): a real OCTID scan segmented by the shipped
 * ONNX model, corrected, signed off and re-segmented (same version, then a new one). Nothing is lost, the
 * correction stays current with its sign-off, and the PDF, the CSV and the CLI name the same segmentation.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { haveSharedData, sharedData } from '../../../test-support/shared-data';
import { openTempCatalog, type TempCatalog } from '../../../test-support/temp-catalog';
import { AppError } from '../../../src-shared/contract';
import { EXIT } from '../../cli/context';
import { registerSegment } from '../../cli/commands/segment';
import { resourcesDir } from '../../resources';
import { decodeLabelMap } from '../catalog/label-map-png';
import { createServices } from '../container';
import { createReportService } from '../reports';
import { saveCorrection } from './corrections';
import { requireResegmentConsent } from './resegment-consent';
import { SegmentationService } from './segmentation-service';

const IMAGE = ['octid-unannotated', 'NORMAL', 'NORMAL30.jpeg'] as const;
const MODEL = 'stratum-unet-light';

describe.skipIf(!haveSharedData(...IMAGE))('correct, sign off, re-segment on a real catalog', () => {
  let cat: TempCatalog;
  let scanId: number;
  let modelId: number;
  let correctionId: number;
  const models = mkdtempSync(join(tmpdir(), 'stratum-review-models-'));

  beforeAll(async () => {
    cat = openTempCatalog('review');
    copyFileSync(sharedData(...IMAGE), join(cat.work, 'NORMAL30.jpeg'));
    await cat.importFrom(cat.work);
    scanId = cat.services.scans.list({}).items[0]!.id;
  }, 60_000);
  afterAll(async () => {
    await cat.close();
    rmSync(models, { recursive: true, force: true });
  });

  it('segments, corrects and signs off: the correction is current and signed, the model output untouched', async () => {
    const s = cat.services;
    const [run] = await s.segmentation.segmentScans([scanId]);
    expect(run).toMatchObject({ scanId, outcome: 'added' });
    modelId = run!.segmentationId;
    expect(s.scans.require(scanId).reviewState).toMatch(/^(not-reviewed|needs-review)$/);
    expect(requireResegmentConsent.bind(null, s.segmentations, [scanId])).not.toThrow(); // plain output: no question

    const scan = s.scans.require(scanId);
    const labels = new Uint8Array(await decodeLabelMap(s.segmentations.get(modelId)!.labelMapPng, scan.width, scan.height));
    for (let y = 470; y < 480; y++) labels.fill(8, y * scan.width + 300, y * scan.width + 450); // a hand-drawn choroid strip
    correctionId = (await saveCorrection(s, { scanId, baseSegmentationId: modelId, labels, actor: 'dr.jones' })).id;
    expect(s.scans.require(scanId).reviewState).toBe('corrected');

    const signed = s.segmentations.signOff(correctionId, 'dr.smith');
    expect(signed.signOff?.by).toBe('dr.smith');
    expect(s.scans.require(scanId).reviewState).toBe('signed-off');
    expect(s.segmentations.currentSegmentation(scanId)?.id).toBe(correctionId);
    expect(s.segmentations.get(modelId)!.signOff).toBeNull();
    expect(s.scans.list({ reviewState: 'signed-off' }).items.map((x) => x.id)).toEqual([scanId]);
  }, 120_000);

  it('asks before re-segmenting, naming the correction and the sign-off; then stores the new output beside them', async () => {
    const s = cat.services;
    let asked: unknown;
    try {
      requireResegmentConsent(s.segmentations, [scanId]);
    } catch (error) {
      asked = error;
    }
    expect(asked).toBeInstanceOf(AppError);
    expect(asked).toMatchObject({ code: 'CONFIRMATION_REQUIRED', details: { scanIds: [scanId] } });
    expect((asked as AppError).message).toContain('This scan has a correction (corrected by dr.jones, signed off by dr.smith).');
    expect((asked as AppError).message).toContain('stays current');

    const before = s.segmentations.get(modelId)!;
    // the same model version again: the output a correction started from is kept as it is
    const [same] = await s.segmentation.segmentScans([scanId]);
    expect(same).toMatchObject({ segmentationId: modelId, outcome: 'kept' });
    expect(s.segmentations.get(modelId)).toEqual(before);

    // a new model version: a new row beside the old one
    cpSync(join(resourcesDir(), 'models', MODEL), join(models, MODEL), { recursive: true });
    const card = join(models, MODEL, 'model.json');
    writeFileSync(card, JSON.stringify({ ...(JSON.parse(readFileSync(card, 'utf8')) as object), version: '9.9.9-review' }));
    const newer = new SegmentationService({ modelsRoot: models, modelId: MODEL }, { scans: s.scans, segmentations: s.segmentations, library: s.library, changes: s.catalog });
    try {
      const [added] = await newer.segmentScans([scanId]);
      expect(added!.outcome).toBe('added');
      expect(added!.segmentationId).not.toBe(modelId);
    } finally {
      await newer.close();
    }

    const all = s.segmentations.forScan(scanId);
    expect(all.filter((x) => x.kind === 'model').map((x) => x.modelVersion)).toEqual([before.modelVersion, '9.9.9-review']);
    expect(all.filter((x) => x.correctedBy === 'dr.jones').map((x) => x.id)).toEqual([correctionId]);
    expect(s.segmentations.currentSegmentation(scanId)?.id).toBe(correctionId);
    expect(s.segmentations.get(correctionId)!.signOff?.by).toBe('dr.smith');
    expect(s.scans.require(scanId).reviewState).toBe('signed-off');
  }, 180_000);

  it('the PDF and the CSV name the signed segmentation, its signer and the state', async () => {
    const s = cat.services;
    const reports = createReportService(s);
    const { path } = await reports.exportScan(scanId, 'pdf', join(cat.home, 'signed.pdf'));
    const text = execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    const day = s.segmentations.get(correctionId)!.signOff!.at.slice(0, 10);
    for (const line of ['Signed off', 'Segmentation: corrected by dr.jones', `Signed off by dr.smith on ${day}`]) expect(text).toContain(line);
    expect(text).toMatch(/Corrected share of pixels: \d+\.\d %/);
    expect(text).not.toContain('9.9.9-review'); // the newer model output is not what the report is made from

    const csvPath = join(cat.home, 'thickness.csv');
    reports.exportThickness({}, 'csv', csvPath);
    const [header, ...rows] = readFileSync(csvPath, 'utf8').trimEnd().split('\n');
    const cols = header!.split(',');
    for (const c of ['review_state', 'segmentation', 'segmentation_id', 'signed_off_by', 'signed_off_at']) expect(cols).toContain(c);
    const at = (row: string, c: string) => row.split(',')[cols.indexOf(c)];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(at(row, 'review_state')).toBe('signed-off');
      expect(at(row, 'segmentation')).toBe('corrected by dr.jones');
      expect(at(row, 'segmentation_id')).toBe(String(correctionId));
      expect(at(row, 'signed_off_by')).toBe('dr.smith');
      expect(at(row, 'model_version')).not.toBe('9.9.9-review');
    }
  }, 60_000);

  it('the CLI refuses to re-segment without --force: it says why, exits 3 and stores nothing', async () => {
    const rowsBefore = cat.services.segmentations.forScan(scanId).length;
    await cat.services.close(); // the CLI opens the catalog itself (one holder of the lock at a time)
    const stderr: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
    const exitBefore = process.exitCode;
    try {
      const program = new Command('stratum').option('--home <dir>').exitOverride();
      registerSegment(program);
      await program.parseAsync(['node', 'stratum', '--home', cat.home, 'segment', '--scan', String(scanId)]);
      expect(process.exitCode).toBe(EXIT.needsConfirmation);
    } finally {
      process.exitCode = exitBefore;
      spy.mockRestore();
    }
    expect(stderr.join('')).toContain(`Scan ${scanId}: This scan has a correction (corrected by dr.jones, signed off by dr.smith)`);
    expect(stderr.join('')).toContain('pass --force');
    cat.services = createServices({ home: cat.home, host: 'node' }); // closed again by afterAll
    expect(cat.services.segmentations.forScan(scanId)).toHaveLength(rowsBefore);
  }, 60_000);
});
