import { describe, expect, it } from 'vitest';
import { evenly, syntheticVolume } from '../../../test-support/synthetic-volume';
import { cellCentre, gridSampler, valueAt, type EnfaceGrid } from './enface-map';
import { buildMapSet } from './map-set';
import { rasterGeometry, RasterGeometryError } from './raster-geometry';

/** Total thickness (µm, axial 1 µm/px) linear in x and y: bilinear interpolation must give it exactly. */
const linear = (x: number, y: number) => 100 * (y - 1) + 10 * (x - 1);

/** A grid wider and taller than the scan (x 1..2, y 1..1.2), so cells outside it exist. */
const WIDE: EnfaceGrid = { originMm: [0.5, 0.9], spacingMm: [0.01, 0.01], rows: 41, cols: 201 };

function mapOf(ys: number[], bm: (x: number, y: number) => number, width = 21) {
  const v = syntheticVolume({ ys, x0: 1, x1: 2, width, axialUmPerPx: 1, surfaces: { ILM: () => 0, BM: bm } });
  const g = rasterGeometry(v.lines);
  return buildMapSet(v, gridSampler(g, WIDE), g).maps.total!;
}

describe('en-face interpolation', () => {
  it('places A-scans by each B-scan\'s own position (uneven spacing) and interpolates between neighbours exactly', () => {
    // gaps 0.04, 0.06, 0.04, 0.06: an assumed regular grid would put B-scan 1 at 1.05, not 1.04
    const map = mapOf([1.0, 1.04, 1.1, 1.14, 1.2], linear);
    for (const [x, y] of [[1.5, 1.07], [1.23, 1.02], [1.99, 1.19], [1.0, 1.0], [2.0, 1.2]] as const) {
      expect(valueAt(map, { x, y })).toBeCloseTo(linear(x, y), 3);
    }
  });

  it('never extrapolates: every cell outside the scanned area is empty, every cell inside holds data', () => {
    const map = mapOf(evenly(1, 1.2, 5), linear);
    let inside = 0;
    for (let r = 0; r < WIDE.rows; r++) {
      for (let c = 0; c < WIDE.cols; c++) {
        const p = cellCentre(WIDE, r, c);
        const v = map.values[r * WIDE.cols + c]!;
        const within = p.x >= 1 - 1e-9 && p.x <= 2 + 1e-9 && p.y >= 1 - 1e-9 && p.y <= 1.2 + 1e-9;
        if (within) {
          inside++;
          expect(v).toBeCloseTo(linear(p.x, p.y), 3);
        } else expect(v).toBeNaN();
      }
    }
    expect(inside).toBe(101 * 21);
  });

  it('leaves a hole where neighbouring B-scans lie more than twice the median gap apart', () => {
    const map = mapOf([1.0, 1.05, 1.1, 1.4, 1.45], linear);
    expect(valueAt(map, { x: 1.5, y: 1.08 })).toBeCloseTo(linear(1.5, 1.08), 3);
    for (const y of [1.11, 1.25, 1.39]) expect(valueAt(map, { x: 1.5, y })).toBeNaN();
  });

  it('bridges no A-scan without data: the cells around it on both neighbouring gaps are empty', () => {
    // A-scan 10 (x = 1.5) of the B-scan at y = 1.1 has no BM
    const map = mapOf(evenly(1, 1.2, 5), (x, y) => (Math.abs(y - 1.1) < 1e-9 && Math.abs(x - 1.5) < 1e-9 ? NaN : linear(x, y)));
    for (const y of [1.06, 1.1, 1.14]) expect(valueAt(map, { x: 1.5, y })).toBeNaN();
    expect(valueAt(map, { x: 1.5, y: 1.03 })).toBeCloseTo(linear(1.5, 1.03), 3);
    expect(valueAt(map, { x: 1.3, y: 1.1 })).toBeCloseTo(linear(1.3, 1.1), 3);
  });

  it('follows a rotated raster: the same values when B-scans run diagonally', () => {
    const angle = (20 * Math.PI) / 180;
    const rot = (x: number, y: number) => ({ x: 4 + x * Math.cos(angle) - y * Math.sin(angle), y: 4 + x * Math.sin(angle) + y * Math.cos(angle) });
    const ys = evenly(0, 0.4, 9);
    const lines = ys.map((y) => ({ start: rot(0, y), end: rot(1, y), width: 21 }));
    // thickness given in the scan's own frame (u along, v across)
    const surfaces = lines.map((l) => {
      const bm = new Float32Array(21);
      const v = ys[lines.indexOf(l)]!;
      for (let i = 0; i < 21; i++) bm[i] = 50 + 100 * v + 20 * (i / 20);
      return { ILM: new Float32Array(21), BM: bm };
    });
    const set = buildMapSet({ lines, surfaces, axialUmPerPx: 1, source: 'stratum' });
    expect(valueAt(set.maps.total!, rot(0.5, 0.2))).toBeCloseTo(50 + 20 + 10, 2);
    expect(valueAt(set.maps.total!, rot(0.5, 0.5))).toBeNaN();
    expect(valueAt(set.maps.total!, rot(-0.05, 0.2))).toBeNaN();
  });

  it('refuses B-scans that are not a raster (a radial scan) with a reason', () => {
    const lines = [0, 30, 60, 90].map((deg) => {
      const a = (deg * Math.PI) / 180;
      return { start: { x: 3 - 3 * Math.cos(a), y: 3 - 3 * Math.sin(a) }, end: { x: 3 + 3 * Math.cos(a), y: 3 + 3 * Math.sin(a) }, width: 10 };
    });
    expect(() => rasterGeometry(lines)).toThrow(RasterGeometryError);
    expect(() => rasterGeometry(lines)).toThrow(/not a raster/);
  });
});
