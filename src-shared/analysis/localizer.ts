import type { BscanGeometry, BscanRecord, LocalizerRecord } from '../domain/series';

/** A point on the localizer in mm from its top-left corner. */
export interface Mm {
  x: number;
  y: number;
}

/**
 * The localizer's extent in mm: its size times its scale when the file gives both; else the B-scan
 * positions' bounding box with a 10 % margin (a localizer whose scale is unknown, or none at all).
 * Null when there is nothing to place (no localizer scale and no B-scan positions).
 */
export function localizerExtentMm(localizer: LocalizerRecord | null, bscans: readonly BscanRecord[]): { width: number; height: number; x0: number; y0: number } | null {
  if (localizer?.scaleXMm && localizer.scaleYMm) return { x0: 0, y0: 0, width: localizer.width * localizer.scaleXMm, height: localizer.height * localizer.scaleYMm };
  const points = bscans.flatMap((b) => pointsOf(b.geometry));
  if (points.length === 0) return null;
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const size = Math.max(maxX - minX, maxY - minY, 0.5);
  const margin = size * 0.1;
  return { x0: minX - margin, y0: minY - margin, width: size + 2 * margin, height: size + 2 * margin };
}

function pointsOf(g: BscanGeometry | null): Mm[] {
  if (!g) return [];
  if (g.type === 'line') return [g.start, g.end];
  return [{ x: g.centre.x - g.radius, y: g.centre.y - g.radius }, { x: g.centre.x + g.radius, y: g.centre.y + g.radius }];
}

/** How far a point lies from where a B-scan runs, in mm (Infinity without a position). */
export function distanceToBscan(g: BscanGeometry | null, p: Mm): number {
  if (!g) return Infinity;
  if (g.type === 'circle') return Math.abs(Math.hypot(p.x - g.centre.x, p.y - g.centre.y) - g.radius);
  const dx = g.end.x - g.start.x;
  const dy = g.end.y - g.start.y;
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - g.start.x) * dx + (p.y - g.start.y) * dy) / length2));
  return Math.hypot(p.x - (g.start.x + t * dx), p.y - (g.start.y + t * dy));
}

/** The B-scan nearest to a point on the localizer (a click), or null when no B-scan has a position. */
export function nearestBscan(bscans: readonly BscanRecord[], p: Mm): number | null {
  let best: { index: number; d: number } | null = null;
  for (const b of bscans) {
    const d = distanceToBscan(b.geometry, p);
    if (Number.isFinite(d) && (!best || d < best.d)) best = { index: b.index, d };
  }
  return best?.index ?? null;
}
