import { describe, expect, it } from 'vitest';
import { evenly, syntheticVolume } from '../../../test-support/synthetic-volume';
import { buildMapSet } from './map-set';
import { findFovea3d, userFovea } from './fovea-3d';

/** A 6 x 4.5 mm raster (x 1..7, y 1..5.5) with total thickness `t(x, y)` µm (axial 1 µm/px). */
function total(t: (x: number, y: number) => number) {
  const v = syntheticVolume({ ys: evenly(1, 5.5, 61), x0: 1, x1: 7, width: 241, axialUmPerPx: 1, surfaces: { ILM: () => 0, BM: t } });
  const set = buildMapSet(v);
  return { map: set.maps.total!, geometry: set.geometry };
}

const pit = (cx: number, cy: number) => (x: number, y: number) => 320 - 110 * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * 0.3 ** 2)) + 3 * Math.sin(40 * x) * Math.cos(37 * y);

describe('fovea in 3D', () => {
  it('finds the foveal pit off the scan centre, with a high confidence and how it was found', () => {
    const { map, geometry } = total(pit(4.45, 3.0)); // the scan centre is (4, 3.25)
    const f = findFovea3d(map, geometry);
    expect(f.method).toBe('foveal-pit');
    expect(Math.hypot(f.centreMm.x - 4.45, f.centreMm.y - 3.0)).toBeLessThan(0.03);
    expect(f.confidence).toBeGreaterThan(0.9);
    expect(f.pitUm!).toBeLessThan(230);
    expect(f.how).toMatch(/minimum of the total retinal thickness smoothed/);
  });

  it('is unsure on a flat retina and does not look for the pit at the scan edge', () => {
    const flat = total(() => 300);
    expect(findFovea3d(flat.map, flat.geometry).confidence).toBeLessThan(0.05);
    const edge = total(pit(1.3, 1.3)); // a "pit" in the corner, outside the middle half
    const f = findFovea3d(edge.map, edge.geometry);
    expect(Math.hypot(f.centreMm.x - 1.3, f.centreMm.y - 1.3)).toBeGreaterThan(1);
    expect(f.confidence).toBeLessThan(0.3);
  });

  it('a user placement wins, with confidence 1 and the ring measured around it', () => {
    const { map } = total(pit(4, 3.25));
    const f = userFovea({ x: 4.2, y: 3.1 }, map);
    expect(f).toMatchObject({ method: 'user', confidence: 1, centreMm: { x: 4.2, y: 3.1 } });
    expect(f.ringCoverage).toBe(1);
  });
});
