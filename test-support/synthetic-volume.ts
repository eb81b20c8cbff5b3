/**
 * Synthetic raster volumes whose surfaces a test states as functions of the position on the localizer
 * (mm), so the maps, the grid and the drusen measures have answers a test can compute by hand.
 */
import type { BscanLine } from '../src-shared/analysis/enface/raster-geometry';
import type { VolumeSurfaces } from '../src-shared/analysis/enface/map-set';
import { SURFACES, type BscanSurfaces, type SurfaceName } from '../src-shared/analysis/enface/surfaces';

export interface SyntheticVolumeSpec {
  /** y (mm) of each B-scan, in series order (any spacing). */
  ys: number[];
  x0: number;
  x1: number;
  /** A-scans per B-scan. */
  width: number;
  axialUmPerPx: number;
  /** Row (px) of each surface at a point; NaN for no data. Missing surfaces are absent. */
  surfaces: Partial<Record<SurfaceName, (x: number, y: number) => number>>;
  source?: VolumeSurfaces['source'];
}

export function syntheticVolume(spec: SyntheticVolumeSpec): VolumeSurfaces {
  const lines: BscanLine[] = spec.ys.map((y) => ({ start: { x: spec.x0, y }, end: { x: spec.x1, y }, width: spec.width }));
  const surfaces = lines.map((l): BscanSurfaces => {
    const out: BscanSurfaces = {};
    for (const name of SURFACES) {
      const f = spec.surfaces[name];
      if (!f) continue;
      const v = new Float32Array(l.width);
      for (let i = 0; i < l.width; i++) v[i] = f(l.start.x + ((l.end.x - l.start.x) * i) / (l.width - 1), l.start.y);
      out[name] = v;
    }
    return out;
  });
  return { lines, surfaces, axialUmPerPx: spec.axialUmPerPx, source: spec.source ?? 'stratum' };
}

/** n evenly spaced values from a to b inclusive. */
export function evenly(a: number, b: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
}

/**
 * Area of the part of a disc of radius R centred at the origin with |y| <= h (a horizontal band through
 * its centre): 2 (h sqrt(R² - h²) + R² asin(h / R)), the whole disc when h >= R.
 */
export function bandAreaInDisc(R: number, h: number): number {
  if (h >= R) return Math.PI * R * R;
  return 2 * (h * Math.sqrt(R * R - h * h) + R * R * Math.asin(h / R));
}
