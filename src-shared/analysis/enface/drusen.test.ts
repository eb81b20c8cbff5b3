import { describe, expect, it } from 'vitest';
import { evenly, syntheticVolume } from '../../../test-support/synthetic-volume';
import { gridSampler } from './enface-map';
import { drusenMeasures } from './drusen';
import { buildMapSet } from './map-set';
import { rasterGeometry } from './raster-geometry';

const FOVEA = { x: 4, y: 4 };
/** Two drusen 50 µm high, 0.3 mm in radius: one 0.6 mm from the fovea (inside 3 mm), one 2 mm away (inside 5 mm only). */
const DRUSEN = [{ x: 4.6, y: 4 }, { x: 4, y: 2 }];
const R = 0.3;

function rpeMap(ys: number[]) {
  // RPE complex: 30 µm (10 px x 3 µm/px) everywhere, 50 µm more over each druse (the RPE top lifted)
  const lifted = (x: number, y: number) => (DRUSEN.some((d) => Math.hypot(x - d.x, y - d.y) <= R) ? 50 / 3 : 0);
  const v = syntheticVolume({ ys, x0: 0.5, x1: 7.5, width: 701, axialUmPerPx: 3, surfaces: { ILM: () => 0, EZ_RPE: (x, y) => 90 - lifted(x, y), BM: () => 100 } });
  const g = rasterGeometry(v.lines);
  const grid = { originMm: [0.5, ys[0]!] as [number, number], spacingMm: [0.01, 0.01] as [number, number], cols: 701, rows: Math.round((ys[ys.length - 1]! - ys[0]!) / 0.01) + 1 };
  return buildMapSet(v, gridSampler(g, grid), g).maps.RPE!;
}

describe('RPE elevation and drusen', () => {
  it('area and volume within the 3 and 5 mm circles match the drusen placed (by hand: pi 0.3² mm², x 50 µm)', () => {
    const d = drusenMeasures(rpeMap(evenly(0.5, 7.5, 351)), FOVEA, { minElevationUm: 25 });
    expect(d.normalRpeUm).toBeCloseTo(30, 3);
    const area = Math.PI * R * R; // 0.2827 mm²
    const [c3, c5] = d.circles;
    expect(c3!.diameterMm).toBe(3);
    expect(c3!.areaMm2!).toBeCloseTo(area, 1);
    expect(Math.abs(c3!.areaMm2! - area) / area).toBeLessThan(0.05);
    expect(Math.abs(c3!.volumeMm3! - (area * 50) / 1000) / ((area * 50) / 1000)).toBeLessThan(0.05);
    expect(Math.abs(c5!.areaMm2! - 2 * area) / (2 * area)).toBeLessThan(0.05);
    expect(c3!.coveragePct).toBe(100);
    expect(d.definition).toMatch(/median of the RPE complex map/);
  });

  it('a circle the scan covers only partly says so in its coverage', () => {
    const d = drusenMeasures(rpeMap(evenly(2.5, 5.5, 151)), FOVEA, { axialUmPerPx: 3 }); // 3 mm tall scan
    expect(d.circles[0]!.coveragePct).toBe(100);
    expect(d.circles[1]!.coveragePct).toBeLessThan(80);
    expect(d.minElevationUm).toBeCloseTo(6, 6); // 2 axial pixels of 3 µm
  });
});
