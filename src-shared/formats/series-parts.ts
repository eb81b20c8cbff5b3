import { FormatError } from './errors';
import type { BscanGeometry, PointMm, SeriesKind, SeriesScale } from './types';

/** Builders for the parts every reader fills the same way. */

type Axis = { um: number; source: string } | null;

/** A scale from per-axis values; a value that is not a positive finite number counts as unknown. */
export function makeScale(axes: { axial: Axis; lateral: Axis; betweenBscans: Axis }): SeriesScale {
  const valid = (a: Axis) => (a && Number.isFinite(a.um) && a.um > 0 && a.um < 1e6 ? a : null);
  const axial = valid(axes.axial);
  const lateral = valid(axes.lateral);
  const between = valid(axes.betweenBscans);
  const sources: SeriesScale['sources'] = {};
  if (axial) sources.axial = axial.source;
  if (lateral) sources.lateral = lateral.source;
  if (between) sources.betweenBscans = between.source;
  return {
    axialUm: axial ? round(axial.um) : null,
    lateralUm: lateral ? round(lateral.um) : null,
    betweenBscansUm: between ? round(between.um) : null,
    provenance: axial && lateral ? 'file' : axial || lateral ? 'partial' : 'unknown',
    sources,
  };
}

/** µm to 4 decimals: the files store float32/float64 mm, whose last digits are noise. */
function round(um: number): number {
  return Math.round(um * 1e4) / 1e4;
}

/**
 * Heidelberg's scan pattern codes (VOL header, E2E B-scan metadata): 1 line, 2 circle, 3 volume (ART),
 * 4 fast volume, 5 radial. 0 or an unknown code: decided by the B-scan count, and said so in a note.
 */
export function heidelbergKind(pattern: number, bscanCount: number, notes: string[]): { kind: SeriesKind; protocol: string | null } {
  switch (pattern) {
    case 1:
      return { kind: 'line', protocol: 'line scan' };
    case 2:
      return { kind: 'circle', protocol: 'circle scan' };
    case 3:
      return { kind: 'volume', protocol: 'volume scan (ART)' };
    case 4:
      return { kind: 'volume', protocol: 'fast volume scan' };
    case 5:
      return { kind: 'radial', protocol: 'radial scan' };
    default:
      notes.push(`Scan pattern ${pattern} is not a known code: kind decided by the B-scan count (${bscanCount}).`);
      return { kind: kindFromCount(bscanCount), protocol: null };
  }
}

export function kindFromCount(bscanCount: number): SeriesKind {
  return bscanCount > 1 ? 'volume' : 'line';
}

/** A B-scan's geometry from a start point and an end point; for a circle the end point is its centre. */
export function geometryFrom(kind: SeriesKind, start: PointMm, end: PointMm): BscanGeometry | null {
  if (![start.x, start.y, end.x, end.y].every((v) => Number.isFinite(v) && Math.abs(v) < 1000)) return null;
  if (kind === 'circle') {
    return { type: 'circle', centre: end, radius: Math.hypot(start.x - end.x, start.y - end.y), start };
  }
  return { type: 'line', start, end };
}

/** Mean distance between consecutive B-scans' start points (mm), when there are at least two. */
export function meanSpacingMm(geometries: readonly (BscanGeometry | null)[]): number | null {
  let sum = 0;
  let n = 0;
  for (let i = 1; i < geometries.length; i++) {
    const a = geometries[i - 1];
    const b = geometries[i];
    if (!a || !b) continue;
    sum += Math.hypot(b.start.x - a.start.x, b.start.y - a.start.y);
    n++;
  }
  return n > 0 && sum > 0 ? sum / n : null;
}

/** Refuses a B-scan index outside the series. */
export function checkIndex(file: string, index: number, count: number, what = 'B-scan'): void {
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new FormatError(file, `${what} index`, `${index} is outside 0..${count - 1}`, 'needs-input');
  }
}

/** Float32 boundary values to rows: the device's "invalid" marker (>= 3e38), NaN, and rows outside the B-scan become NaN. */
export function boundaryValues(values: Float32Array, maxRow: number): Float32Array {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? NaN;
    if (!(v >= 0) || v > maxRow) values[i] = NaN;
  }
  return values;
}

export function hasAnyValue(values: Float32Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i] ?? NaN)) return true;
  return false;
}
