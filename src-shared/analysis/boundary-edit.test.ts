import { describe, expect, it } from 'vitest';
import { appErrorFrom } from '../../test-support/expect-ok';
import { boundaryName, boundaryRow, changedShare, moveBoundary, strokeBoundary } from './boundary-edit';

/** A 20 x 60 map: rows 10+5k .. 14+5k hold layer k+1 (NFL at 10-14 ... choroid at 45-49), the rest background. */
function stack(width = 20, height = 60) {
  const labels = new Uint8Array(width * height);
  for (let y = 10; y < 50; y++) for (let x = 0; x < width; x++) labels[y * width + x] = Math.floor((y - 10) / 5) + 1;
  return { labels, width, height };
}
const column = (g: ReturnType<typeof stack>, x: number) => Array.from({ length: g.height }, (_, y) => g.labels[y * g.width + x]);

describe('boundary editing', () => {
  it('names the nine boundaries from the layer table', () => {
    expect(boundaryName(0)).toBe('ILM (top of NFL)');
    expect(boundaryName(7)).toBe('RPE / Choroid');
    expect(boundaryName(8)).toBe('Choroid bottom');
  });

  it('finds each boundary row', () => {
    const g = stack();
    expect([0, 1, 2, 7, 8].map((b) => boundaryRow(g, 3, b))).toEqual([10, 15, 20, 45, 50]);
  });

  it('moving RPE/Choroid down grows the RPE into the choroid, nothing else', () => {
    const g = stack();
    const before = column(g, 4);
    expect(moveBoundary(g, 7, 4, 48)).toBe(3);
    const after = column(g, 4);
    expect(after.slice(45, 48)).toEqual([7, 7, 7]);
    expect(after.filter((v, i) => v !== before[i])).toHaveLength(3);
    expect(column(g, 5)).toEqual(before); // other columns untouched
  });

  it('moving a boundary up grows the deeper layer, and never past the neighbouring boundary', () => {
    const g = stack();
    moveBoundary(g, 3, 2, 0); // INL/OPL dragged far up: stops at the GCL+IPL/INL boundary (row 20)
    expect(boundaryRow(g, 2, 3)).toBe(20);
    expect(column(g, 2).slice(20, 25)).toEqual([4, 4, 4, 4, 4]); // INL now has zero thickness there
    expect(boundaryRow(g, 2, 2)).toBe(20);
  });

  it('moves the ILM up into the vitreous and the choroid bottom down', () => {
    const g = stack();
    moveBoundary(g, 0, 1, 7);
    moveBoundary(g, 8, 1, 55);
    const c = column(g, 1);
    expect(c.slice(7, 10)).toEqual([1, 1, 1]);
    expect(c.slice(50, 55)).toEqual([8, 8, 8, 8, 8]);
    expect(c[55]).toBe(0);
  });

  it('a stroke moves the boundary in every column it crosses, rows interpolated', () => {
    const g = stack();
    strokeBoundary(g, 5, { x: 2, y: 30 }, { x: 12, y: 40 });
    expect(boundaryRow(g, 2, 5)).toBe(30);
    expect(boundaryRow(g, 7, 5)).toBe(35);
    expect(boundaryRow(g, 12, 5)).toBe(40);
    expect(boundaryRow(g, 13, 5)).toBe(35); // untouched
  });

  it('measures the corrected share over labelled pixels', () => {
    const g = stack();
    const base = g.labels.slice();
    moveBoundary(g, 7, 0, 50);
    expect(changedShare(base, g.labels)).toEqual({ share: 5 / (40 * 20), pixels: 5 });
    expect(changedShare(base, base).share).toBe(0);
  });

  it('a corrected map of another size is BAD_INPUT saying both sizes, not an internal error', () => {
    const g = stack();
    expect(appErrorFrom(() => changedShare(g.labels, new Uint8Array(g.labels.length - g.width)))).toMatchObject({ code: 'BAD_INPUT', message: 'The corrected label map has 1180 pixels; the segmentation it corrects has 1200.' });
  });
});
