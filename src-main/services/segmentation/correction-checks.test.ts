/**
 * The correction checks (src-shared/analysis/correction-checks.ts) on a real B-scan: an OCTID Cirrus
 * export segmented by the shipped model, corrected the way a slip of the pen would and the way a
 * clinician would.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundaryRow, strokeBoundary } from '../../../src-shared/analysis/boundary-edit';
import { checkCorrection } from '../../../src-shared/analysis/correction-checks';
import { haveSharedData, sharedData } from '../../../test-support/shared-data';
import { openTempCatalog, type TempCatalog } from '../../../test-support/temp-catalog';
import { decodeLabelMap } from '../catalog/label-map-png';

describe.runIf(haveSharedData('octid-unannotated', 'NORMAL'))('correction checks on a real segmented B-scan', () => {
  let t: TempCatalog;
  let model: { labels: Uint8Array; width: number; height: number };
  let grey: Uint8Array;

  beforeAll(async () => {
    t = openTempCatalog('correction-checks');
    copyFileSync(sharedData('octid-unannotated', 'NORMAL', 'NORMAL26.jpeg'), join(t.work, 'NORMAL26.jpeg'));
    await t.importFrom(t.work, { segment: true });
    const scan = t.services.scans.list({}).items[0]!;
    const seg = t.services.segmentations.forScan(scan.id)[0]!;
    model = { labels: await decodeLabelMap(seg.labelMapPng, scan.width, scan.height), width: scan.width, height: scan.height };
    const raw = await sharp(t.services.library.read(scan.storedFile)).greyscale().raw().toBuffer({ resolveWithObject: true });
    expect(raw.info).toMatchObject({ width: scan.width, height: scan.height, channels: 1 });
    grey = new Uint8Array(raw.data);
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  /** A copy of the model's map with boundary b moved by `dy` rows in columns [x0, x1). */
  function moved(b: number, x0: number, x1: number, dy: number) {
    const after = { ...model, labels: model.labels.slice() };
    for (let x = x0; x < x1; x++) {
      const row = boundaryRow(model, x, b)!;
      strokeBoundary(after, b, { x, y: row + dy }, { x, y: row + dy });
    }
    return after;
  }

  it('an ILM drawn 34 px up into the vitreous over 120 columns is warned about, with the TRT it adds', () => {
    const review = checkCorrection({ before: model, after: moved(0, 100, 220, -34), image: grey, axialUmPerPx: 4 });
    expect(review.warnings).toHaveLength(1);
    const w = review.warnings[0]!;
    expect(w).toMatchObject({ kind: 'into-vitreous', boundary: 0, columns: 120, firstColumn: 100, lastColumn: 219, maxPx: 34, trtChange: 136 });
    expect(w.message).toBe('ILM (top of NFL) moved up into the vitreous by up to 34 px (136 µm) over 120 columns (100-219); TRT +136 µm there.');
    // the scan's mean TRT (rounded to 1 µm) rises by 136 µm x 120 / 750 columns
    expect(Math.abs(review.trt.after! - review.trt.before! - (136 * 120) / 750)).toBeLessThan(1);
  });

  it('says nothing of a clinician-sized correction inside the tissue', () => {
    expect(checkCorrection({ before: model, after: moved(7, 300, 400, 3), image: grey, axialUmPerPx: 4 }).warnings).toEqual([]);
    expect(checkCorrection({ before: model, after: moved(0, 500, 600, 2), image: grey, axialUmPerPx: 4 }).warnings).toEqual([]);
  });

  it('warns when the RPE/choroid boundary is dragged up through the outer retina onto its neighbour', () => {
    const w = checkCorrection({ before: model, after: moved(7, 300, 340, -60), image: grey, axialUmPerPx: 4 }).warnings;
    expect(w.map((x) => x.kind)).toEqual(['crossed-boundary']);
    expect(w[0]).toMatchObject({ boundary: 7, neighbour: 6, columns: 40 });
    expect(w[0]!.message).toMatch(/^RPE \/ Choroid pushed onto EZ \/ RPE over 40 columns \(300-339\): the RPE, up to \d+ px \(\d+ µm\) thick, is squeezed out; TRT −\d+ µm there\.$/);
  });
});
