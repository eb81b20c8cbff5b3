/**
 * RPE elevation and drusen, from the RPE complex map (RPE top to Bruch's membrane, surfaces.ts).
 *
 * Definition used (stated in docs/ETDRS.md and every export):
 * - normal RPE thickness: the median of the RPE complex map over the whole scan (drusen cover a minority
 *   of the macula even in AMD, so the median is the undisturbed band), unless the caller gives one;
 * - RPE elevation at a point: its RPE complex thickness minus the normal, where positive;
 * - drusen: points whose elevation is at least `minElevationUm` (default 2 axial pixels, as eyepy's
 *   drusen filter, or 8 µm without a scale): a druse lifts the RPE off BM, thickening the complex;
 * - drusen area (mm²) and volume (mm³, the elevation integrated over that area) within the circles of
 *   3 and 5 mm diameter centred on the fovea (the usual AMD measures), each with its coverage.
 */
import type { PointMm } from '../../formats/types';
import { latticeAround, withoutNaN, type EnfaceValues } from './enface-map';

export const DRUSEN_CIRCLES_MM = [3, 5] as const;
/** Without an axial scale: about 2 pixels of a Spectralis (3.87 µm/px). */
const DEFAULT_MIN_ELEVATION_UM = 8;

export interface DrusenOptions {
  /** The normal RPE complex thickness (µm); default the median of the map. */
  normalRpeUm?: number;
  /** The least elevation that counts as a druse (µm); default 2 axial pixels, else 8 µm. */
  minElevationUm?: number;
  axialUmPerPx?: number | null;
}

export interface DrusenCircle {
  diameterMm: number;
  /** Area of the circle's points that are drusen (mm²); null when the circle has no data. */
  areaMm2: number | null;
  /** Elevation above the normal integrated over the drusen area (mm³); null when the circle has no data. */
  volumeMm3: number | null;
  /** % of the circle's area holding data: a partly scanned circle can only undercount. */
  coveragePct: number;
}

export interface DrusenMeasures {
  definition: string;
  normalRpeUm: number | null;
  normalFrom: 'median of the RPE complex map' | 'given';
  minElevationUm: number;
  circles: DrusenCircle[];
  /** Elevation above the normal per cell (µm, 0 where not elevated, NaN without data). */
  elevation: EnfaceValues;
}

export const DRUSEN_DEFINITION =
  'RPE elevation = RPE complex thickness (RPE top to BM) minus the normal RPE thickness (median of the RPE complex map unless given), where positive; ' +
  'drusen = points elevated by at least the minimum elevation; area (mm²) and volume (elevation integrated, mm³) within the 3 and 5 mm circles centred on the fovea';

export function drusenMeasures(rpe: EnfaceValues, centre: PointMm, options: DrusenOptions = {}): DrusenMeasures {
  const normal = options.normalRpeUm ?? medianOf(rpe.values);
  const minElevationUm = options.minElevationUm ?? (options.axialUmPerPx && options.axialUmPerPx > 0 ? 2 * options.axialUmPerPx : DEFAULT_MIN_ELEVATION_UM);
  const elevation = new Float32Array(rpe.values.length).fill(NaN);
  if (normal !== null) {
    for (let i = 0; i < rpe.values.length; i++) {
      const v = rpe.values[i]!;
      if (!Number.isNaN(v)) elevation[i] = Math.max(0, v - normal);
    }
  }
  const { grid } = rpe;
  const [dx, dy] = grid.spacingMm;
  const cellArea = dx * dy;
  const circles = DRUSEN_CIRCLES_MM.map((diameterMm): DrusenCircle => {
    const R = diameterMm / 2;
    let inCircle = 0;
    let withData = 0;
    let drusen = 0;
    let integral = 0;
    const { cc, rc, cMin, cMax, rMin, rMax } = latticeAround(grid, centre, R);
    for (let r = rMin; r <= rMax; r++) {
      for (let c = cMin; c <= cMax; c++) {
        const ox = (c - cc) * dx;
        const oy = (r - rc) * dy;
        if (Math.sqrt(ox * ox + oy * oy) > R + 1e-9) continue;
        inCircle++;
        if (r < 0 || c < 0 || r >= grid.rows || c >= grid.cols) continue;
        const e = elevation[r * grid.cols + c]!;
        if (Number.isNaN(e)) continue;
        withData++;
        if (e >= minElevationUm) {
          drusen++;
          integral += e;
        }
      }
    }
    const any = withData > 0;
    // µm x mm² = 1e-3 mm³
    return { diameterMm, areaMm2: any ? drusen * cellArea : null, volumeMm3: any ? (integral * cellArea) / 1000 : null, coveragePct: inCircle ? (withData / inCircle) * 100 : 0 };
  });
  return {
    definition: DRUSEN_DEFINITION,
    normalRpeUm: normal,
    normalFrom: options.normalRpeUm === undefined ? 'median of the RPE complex map' : 'given',
    minElevationUm,
    circles,
    elevation: { grid, values: elevation },
  };
}

function medianOf(values: Float32Array): number | null {
  const v = withoutNaN(values);
  if (!v.length) return null;
  v.sort(); // a typed array sorts numerically, natively
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}
