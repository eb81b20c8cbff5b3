/**
 * Where a volume's A-scans lie on the localizer plane, from each B-scan's own start and end (never an
 * assumed regular grid: B-scans are not always evenly spaced, eyepy #4), and which two neighbouring
 * B-scans a point of the plane lies between. Coordinates are mm from the localizer's top-left corner,
 * x to the right, y down (superior is up on the localizer image).
 */
import type { PointMm } from '../../formats/types';

export interface BscanLine {
  start: PointMm;
  end: PointMm;
  /** A-scans along the line: A-scan i lies at start + (end - start) * i / (width - 1). */
  width: number;
}

export interface RasterGeometry {
  lines: readonly BscanLine[];
  /** Unit vector along the B-scans (their mean direction). */
  along: PointMm;
  /** Unit vector across them (along rotated by +90°): the order B-scans are stacked in. */
  across: PointMm;
  /** Indices of the B-scans used, sorted by their offset across (duplicates at one position dropped). */
  order: number[];
  /** Offset across (mm) of each B-scan in `order`. */
  offsets: number[];
  /** Median distance between neighbouring B-scans (mm). */
  medianGapMm: number;
  /** Neighbours farther apart than this are not interpolated between (a hole, never a smear). */
  maxGapMm: number;
  /** Median distance between neighbouring A-scans along a B-scan (mm). */
  ascanSpacingMm: number;
}

/** How far apart two neighbouring B-scans may lie, as a multiple of the median gap, and still be bridged. */
export const MAX_GAP_FACTOR = 2;
/** B-scans of a raster are parallel; more than this between one and the mean direction is not a raster. */
const MAX_ANGLE_DEG = 5;

export class RasterGeometryError extends Error {}

const dot = (a: PointMm, b: PointMm) => a.x * b.x + a.y * b.y;

/**
 * The geometry of a raster volume: at least two parallel line B-scans of one width. Throws a
 * RasterGeometryError saying what is wrong (radial or crossing B-scans, zero-length lines, one B-scan).
 */
export function rasterGeometry(lines: readonly BscanLine[]): RasterGeometry {
  if (lines.length < 2) throw new RasterGeometryError(`an en-face map needs at least 2 B-scans, the series has ${lines.length}`);
  const dirs = lines.map((l, i) => {
    const dx = l.end.x - l.start.x;
    const dy = l.end.y - l.start.y;
    const len = Math.hypot(dx, dy);
    if (!(len > 0) || !Number.isFinite(len)) throw new RasterGeometryError(`B-scan ${i} has no length on the localizer (start equals end)`);
    if (l.width < 2) throw new RasterGeometryError(`B-scan ${i} has ${l.width} A-scans`);
    return { x: dx / len, y: dy / len };
  });
  // mean direction, with every line's sign aligned to the first (a bidirectional raster is still a raster)
  const sum = dirs.reduce((s, d) => (dot(d, dirs[0]!) < 0 ? { x: s.x - d.x, y: s.y - d.y } : { x: s.x + d.x, y: s.y + d.y }), { x: 0, y: 0 });
  const norm = Math.hypot(sum.x, sum.y);
  const along = { x: sum.x / norm, y: sum.y / norm };
  dirs.forEach((d, i) => {
    const angle = (Math.acos(Math.min(1, Math.abs(dot(d, along)))) * 180) / Math.PI;
    if (angle > MAX_ANGLE_DEG) {
      throw new RasterGeometryError(`B-scan ${i} lies ${angle.toFixed(1)}° off the others: not a raster of parallel B-scans (radial or star scans have no en-face map here)`);
    }
  });
  const across = { x: -along.y, y: along.x };
  const byOffset = lines.map((l, i) => ({ i, o: dot(midpoint(l), across) })).sort((a, b) => a.o - b.o);
  const order: number[] = [];
  const offsets: number[] = [];
  for (const { i, o } of byOffset) {
    // a repeated B-scan at the same place adds nothing between neighbours; the first one is kept
    if (offsets.length && o - offsets[offsets.length - 1]! < 1e-6) continue;
    order.push(i);
    offsets.push(o);
  }
  if (order.length < 2) throw new RasterGeometryError('all B-scans lie at one position: no area to map');
  const gaps = offsets.slice(1).map((o, k) => o - offsets[k]!);
  const medianGapMm = median(gaps);
  const ascanSpacingMm = median(lines.map((l) => Math.hypot(l.end.x - l.start.x, l.end.y - l.start.y) / (l.width - 1)));
  return { lines, along, across, order, offsets, medianGapMm, maxGapMm: medianGapMm * MAX_GAP_FACTOR, ascanSpacingMm };
}

function midpoint(l: BscanLine): PointMm {
  return { x: (l.start.x + l.end.x) / 2, y: (l.start.y + l.end.y) / 2 };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Where one point of the plane lies: between B-scans `a` and `b` (series indices), `w` of the way to b. */
export interface Bracket {
  a: number;
  b: number;
  w: number;
  /** Fractional A-scan index of the point's foot on each B-scan. */
  fa: number;
  fb: number;
}

/**
 * The two neighbouring B-scans a point lies between, or null when it lies outside the scanned area:
 * before the first or after the last B-scan, beyond either neighbour's ends, or between two that are
 * farther apart than maxGapMm. A point is never given to a single B-scan beyond the area (no
 * extrapolation).
 */
export function bracketOf(g: RasterGeometry, p: PointMm): Bracket | null {
  const o = dot(p, g.across);
  const { offsets } = g;
  const eps = 1e-9;
  if (o < offsets[0]! - eps || o > offsets[offsets.length - 1]! + eps) return null;
  // last offset <= o
  let lo = 0;
  let hi = offsets.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid]! <= o) lo = mid;
    else hi = mid;
  }
  const gap = offsets[hi]! - offsets[lo]!;
  if (gap > g.maxGapMm + eps) return null;
  const fa = footIndex(g.lines[g.order[lo]!]!, p);
  const fb = footIndex(g.lines[g.order[hi]!]!, p);
  if (fa === null || fb === null) return null;
  return { a: g.order[lo]!, b: g.order[hi]!, w: Math.min(1, Math.max(0, (o - offsets[lo]!) / gap)), fa, fb };
}

/** The fractional A-scan index of p's perpendicular foot on the line, or null beyond its ends. */
function footIndex(l: BscanLine, p: PointMm): number | null {
  const dx = l.end.x - l.start.x;
  const dy = l.end.y - l.start.y;
  const s = ((p.x - l.start.x) * dx + (p.y - l.start.y) * dy) / (dx * dx + dy * dy);
  const eps = 1e-9;
  if (s < -eps || s > 1 + eps) return null;
  return Math.min(1, Math.max(0, s)) * (l.width - 1);
}

/** The bounding box of the B-scan lines (mm). */
export function scannedBounds(g: RasterGeometry): { minX: number; minY: number; maxX: number; maxY: number } {
  const xs = g.lines.flatMap((l) => [l.start.x, l.end.x]);
  const ys = g.lines.flatMap((l) => [l.start.y, l.end.y]);
  return { minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) };
}

/** The centre of the scanned area: the mean of the B-scans' midpoints. */
export function scanCentre(g: RasterGeometry): PointMm {
  const mids = g.lines.map(midpoint);
  return { x: mids.reduce((s, m) => s + m.x, 0) / mids.length, y: mids.reduce((s, m) => s + m.y, 0) / mids.length };
}
