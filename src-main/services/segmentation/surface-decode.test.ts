import { describe, expect, it } from 'vitest';
import { ModelRegistry } from '../models/registry';
import { BOUNDARY_COUNT, decodeSurfaceLabels, surfacesSpec } from './surface-decode';

const IDENTITY = [0, 1, 2, 3, 4, 5, 6, 7, 8];

/** Rows [K, width] with every column holding the same boundaries. */
function flatRows(width: number, boundaries: number[]): Float32Array {
  const rows = new Float32Array(BOUNDARY_COUNT * width);
  boundaries.forEach((b, k) => rows.fill(b, k * width, (k + 1) * width));
  return rows;
}

function column(labels: Uint8Array, width: number, height: number, x: number): number[] {
  return Array.from({ length: height }, (_, y) => labels[y * width + x]!);
}

describe('decodeSurfaceLabels', () => {
  // boundaries between rows: top of NFL at 1.5 (rows 2..), GCL 3.5, ..., bottom of choroid 17.5
  const boundaries = [1.5, 3.5, 5.5, 7.5, 9.5, 11.5, 13.5, 15.5, 17.5];
  const expected = [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 0, 0];

  it('labels each row by the number of boundaries above it, background above and below', () => {
    const w = 3;
    const h = 20;
    const tissue = new Uint8Array(w * h).fill(5); // the pixel head sees tissue everywhere
    const out = decodeSurfaceLabels(tissue, flatRows(w, boundaries), IDENTITY, { width: w, height: h, mapBack: 'crop' }, w, h);
    for (let x = 0; x < w; x++) expect(column(out, w, h, x)).toEqual(expected);
  });

  it('keeps pixels the pixel head calls background unlabelled (a hole inside the band)', () => {
    const w = 2;
    const h = 20;
    const pixel = new Uint8Array(w * h).fill(3);
    for (let y = 6; y < 10; y++) pixel[y * w + 1] = 0; // fluid in column 1, rows 6-9
    const out = decodeSurfaceLabels(pixel, flatRows(w, boundaries), IDENTITY, { width: w, height: h, mapBack: 'crop' }, w, h);
    expect(column(out, w, h, 0)).toEqual(expected);
    expect(column(out, w, h, 1)).toEqual(expected.map((c, y) => (y >= 6 && y < 10 ? 0 : c)));
    expect(pixel[6 * w + 1]).toBe(0); // input untouched
  });

  it('crops the padded tensor columns and rescales rows of a resized tensor', () => {
    // pad: tensor 4 wide, image 3 wide -> the 4th column is ignored
    const padded = decodeSurfaceLabels(new Uint8Array(3 * 20).fill(1), flatRows(4, boundaries), IDENTITY, { width: 4, height: 20, mapBack: 'crop' }, 3, 20);
    expect(column(padded, 3, 20, 2)).toEqual(expected);
    // resize: tensor 20 rows for an image of 40 rows -> each boundary's row doubles (pixel centres)
    const out = decodeSurfaceLabels(new Uint8Array(2 * 40).fill(1), flatRows(1, boundaries), IDENTITY, { width: 1, height: 20, mapBack: 'resize' }, 2, 40);
    const col = column(out, 2, 40, 1);
    expect(col.indexOf(1)).toBe(4); // top of NFL 1.5 -> (1.5 + 0.5) * 2 - 0.5 = 3.5
    expect(col.lastIndexOf(8)).toBe(35); // bottom of choroid 17.5 -> 35.5
  });

  it('keeps the decode ordered even if a boundary comes out above the one before it', () => {
    const rows = flatRows(1, [1.5, 3.5, 2.5, 7.5, 9.5, 11.5, 13.5, 15.5, 17.5]); // GCL/INL edge above NFL/GCL
    const out = decodeSurfaceLabels(new Uint8Array(20).fill(2), rows, IDENTITY, { width: 1, height: 20, mapBack: 'crop' }, 1, 20);
    const col = column(out, 1, 20, 0);
    expect(col.slice(0, 8)).toEqual([0, 0, 1, 1, 3, 3, 3, 3]); // GCL+IPL empty, never out of order
  });

  it('refuses a surface output of the wrong size', () => {
    expect(() => decodeSurfaceLabels(new Uint8Array(4), new Float32Array(5), IDENTITY, { width: 2, height: 2, mapBack: 'crop' }, 2, 2)).toThrow(
      /Surface output has 5 values, expected 9 x 2/,
    );
  });
});

describe('surfacesSpec', () => {
  it('is null for the single-output shipped model 1.1.0', () => {
    const card = new ModelRegistry().load('stratum-unet-light').card;
    expect(surfacesSpec(card)).toBeNull();
  });

  it('reads a surface entry and rejects a malformed one with MODEL_UNAVAILABLE naming the field', () => {
    const card = new ModelRegistry().load('stratum-unet-light').card;
    const boundaries = Array.from({ length: 9 }, (_, k) => `b${k}`);
    expect(surfacesSpec({ ...card, surfaces: { name: 'surfaces', kind: 'boundaryRows', boundaries } } as typeof card)).toMatchObject({
      name: 'surfaces',
      layout: 'NKW',
    });
    expect(() => surfacesSpec({ ...card, surfaces: { kind: 'boundaryRows', boundaries: ['one'] } } as typeof card)).toThrow(
      expect.objectContaining({ code: 'MODEL_UNAVAILABLE', message: expect.stringMatching(/surfaces.*boundaries/) }),
    );
  });
});
