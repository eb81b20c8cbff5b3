import { describe, expect, it } from 'vitest';
import { fovealPitLabels, layeredLabels } from '../../test-support/label-maps';
import { BOUNDARY_COUNT, boundaryRow, strokeBoundary } from './boundary-edit';
import { boundaryRows, checkCorrection } from './correction-checks';
import { layerBoundaries } from './segmentation/boundaries';

const W = 60;
const H = 80;
const TOP = 20;
const THICK = 5;

/** Eight layers of 5 rows from row 20 (NFL 20-24 ... choroid 55-59); the image dark (10) outside, bright (150) inside. */
function scan(image: (x: number, y: number) => number = (_x, y) => (y >= TOP && y < TOP + 8 * THICK ? 150 : 10)) {
  const labels = layeredLabels(W, H, TOP, () => THICK);
  const grey = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) grey[y * W + x] = image(x, y);
  return { before: { labels, width: W, height: H }, grey };
}

/** A copy of `before` with boundary b drawn along row `row` from column x0 to x1 (the editor's own stroke). */
function drawn(before: { labels: Uint8Array; width: number; height: number }, b: number, x0: number, x1: number, row: number) {
  const after = { ...before, labels: before.labels.slice() };
  strokeBoundary(after, b, { x: x0, y: row }, { x: x1, y: row });
  return after;
}

describe('correction checks', () => {
  it('boundary rows agree with boundary-edit.ts on every column of a foveal scan', () => {
    const { labels } = fovealPitLabels(120, 90);
    const g = { labels, width: 120, height: 90 };
    const rows = boundaryRows(layerBoundaries(labels, 120, 90), 120);
    for (let b = 0; b < BOUNDARY_COUNT; b++) for (let x = 0; x < 120; x++) expect(rows[b]![x]).toBe(boundaryRow(g, x, b) ?? -1);
  });

  it('warns of an ILM drawn up into the dark vitreous: how far, over how many columns, and the TRT it adds', () => {
    const { before, grey } = scan();
    const after = drawn(before, 0, 10, 29, TOP - 10);
    const review = checkCorrection({ before, after, image: grey, axialUmPerPx: 4 });
    expect(review.warnings).toHaveLength(1);
    const w = review.warnings[0]!;
    expect(w).toMatchObject({ kind: 'into-vitreous', boundary: 0, columns: 20, firstColumn: 10, lastColumn: 29, maxPx: 10, trtChange: 40, unit: 'um' });
    expect(w.message).toBe('ILM (top of NFL) moved up into the vitreous by up to 10 px (40 µm) over 20 columns (10-29); TRT +40 µm there.');
    // the scan's mean TRT (7 layers x 5 px x 4 µm = 140 µm) rises by a third of 40 µm (20 of 60 columns)
    expect(review.trt).toEqual({ before: 140, after: 153, unit: 'um' });
  });

  it('says nothing when the ILM is drawn up over bright tissue the model missed', () => {
    const { before, grey } = scan((_x, y) => (y >= TOP - 10 && y < TOP + 40 ? 150 : 10));
    const review = checkCorrection({ before, after: drawn(before, 0, 10, 29, TOP - 10), image: grey, axialUmPerPx: 4 });
    expect(review.warnings).toEqual([]);
  });

  it('says nothing of a boundary moved within the tissue, or of the ILM moved down', () => {
    const { before, grey } = scan();
    expect(checkCorrection({ before, after: drawn(before, 4, 0, 59, TOP + 4 * THICK + 2), image: grey, axialUmPerPx: 4 }).warnings).toEqual([]);
    expect(checkCorrection({ before, after: drawn(before, 0, 0, 59, TOP + 3), image: grey, axialUmPerPx: 4 }).warnings).toEqual([]);
  });

  it('skips the darkness check without an image or without contrast, in pixels without a scale', () => {
    const { before } = scan();
    const after = drawn(before, 0, 10, 29, TOP - 10);
    expect(checkCorrection({ before, after, image: null, axialUmPerPx: null }).warnings).toEqual([]);
    const flat = scan(() => 90).grey;
    expect(checkCorrection({ before, after, image: flat, axialUmPerPx: null }).warnings).toEqual([]);
    const { grey } = scan();
    const w = checkCorrection({ before, after, image: grey, axialUmPerPx: null }).warnings[0]!;
    expect(w.unit).toBe('px');
    expect(w.message).toBe('ILM (top of NFL) moved up into the vitreous by up to 10 px over 20 columns (10-29); TRT +10 px there.');
  });

  it('warns of the choroid bottom drawn down into the dark below the tissue', () => {
    const { before, grey } = scan();
    const w = checkCorrection({ before, after: drawn(before, 8, 30, 39, TOP + 8 * THICK + 6), image: grey, axialUmPerPx: 4 }).warnings;
    expect(w).toHaveLength(1);
    // the choroid is not retina: TRT does not change
    expect(w[0]).toMatchObject({ kind: 'below-tissue', boundary: 8, columns: 10, maxPx: 6, trtChange: 0 });
    expect(w[0]!.message).toBe('Choroid bottom moved down below the tissue by up to 6 px (24 µm) over 10 columns (30-39).');
  });

  it('warns of a boundary pushed onto its neighbour, naming the layer squeezed out', () => {
    const { before, grey } = scan();
    // INL/OPL (boundary 3) drawn far up: it stops at GCL+IPL/INL (boundary 2) and the INL vanishes
    const after = drawn(before, 3, 5, 14, 0);
    const w = checkCorrection({ before, after, image: grey, axialUmPerPx: 4 }).warnings;
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ kind: 'crossed-boundary', boundary: 3, neighbour: 2, columns: 10, maxPx: 5, trtChange: 0 });
    expect(w[0]!.message).toBe('INL / OPL pushed onto GCL+IPL / INL over 10 columns (5-14): the INL, up to 5 px (20 µm) thick, is squeezed out.');
    // drawn down onto the next boundary: the OPL goes
    const down = checkCorrection({ before, after: drawn(before, 3, 5, 5, H), image: grey, axialUmPerPx: null }).warnings;
    expect(down).toHaveLength(1);
    expect(down[0]).toMatchObject({ kind: 'crossed-boundary', boundary: 3, neighbour: 4, columns: 1 });
    expect(down[0]!.message).toBe('INL / OPL pushed onto OPL / ONL in column 5: the OPL, up to 5 px thick, is squeezed out.');
  });

  it('does not call a layer squeezed out that was (nearly) absent already, as the NFL at the foveal pit', () => {
    const labels = layeredLabels(W, H, TOP, (x, c) => (c === 1 && x < 20 ? 1 : THICK));
    const before = { labels, width: W, height: H };
    const after = drawn(before, 0, 0, 19, TOP + 3);
    expect(checkCorrection({ before, after, image: null, axialUmPerPx: 4 }).warnings).toEqual([]);
  });

  it('an unchanged map gets no warning and the same TRT', () => {
    const { before, grey } = scan();
    const review = checkCorrection({ before, after: { ...before, labels: before.labels.slice() }, image: grey, axialUmPerPx: 3.9 });
    expect(review.warnings).toEqual([]);
    expect(review.trt.before).toBe(review.trt.after);
  });
});
