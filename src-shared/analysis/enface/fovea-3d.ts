/**
 * The fovea in 3D: the foveal pit of the total retinal thickness map, found near the scan centre but
 * never assumed there. It says how it was found and how sure it is; a user's placement overrides it.
 */
import type { PointMm } from '../../formats/types';
import { round } from '../numbers';
import { cellCentre, latticeAround, type EnfaceValues } from './enface-map';
import { scanCentre, type RasterGeometry } from './raster-geometry';
import { smoothMap } from './smooth-map';

export interface Fovea3d {
  centreMm: PointMm;
  /** 'foveal-pit': found in the map; 'user': placed by a person; 'scan-centre': no pit found, the scan's centre is used. */
  method: 'foveal-pit' | 'user' | 'scan-centre';
  /** How, in words (for the report and the JSON). */
  how: string;
  /** 0..1: pit depth below the parafoveal ring (saturating at 30 %) times the share of the ring with data; 1 for a user's placement. */
  confidence: number;
  /** Smoothed total thickness at the pit and its mean over the 0.5-1.5 mm ring (µm); null for a user's placement without data. */
  pitUm: number | null;
  rimUm: number | null;
  /** Share (0..1) of the 0.5-1.5 mm ring around the centre that holds data. */
  ringCoverage: number;
}

/** Smoothing radius (mm): wider than speckle and layer noise, narrower than a foveal pit (~0.35 mm radius). */
const SMOOTH_RADIUS_MM = 0.1;
/** The parafoveal ring (mm from the centre): where the retina is thickest around a normal pit (the ETDRS inner ring). */
const RING_MM: [number, number] = [0.5, 1.5];
/** The pit's floor: cells no deeper than this share of the pit's depth above its deepest point, connected to it. */
const FLOOR_SHARE = 0.5;
/** The floor is looked for this far from the deepest point at most (mm). */
const FLOOR_REACH_MM = 0.75;

/**
 * The pit: the minimum of the total thickness map smoothed over SMOOTH_RADIUS_MM, searched in the
 * middle half of the scan along and across the B-scans, then the centroid of the pit's floor (the
 * connected cells within half its depth of the minimum), so a flat-floored pit gives its middle.
 */
export function findFovea3d(total: EnfaceValues, geometry: RasterGeometry): Fovea3d {
  const { grid } = total;
  const smooth = smoothMap(total, SMOOTH_RADIUS_MM / grid.spacingMm[0]);
  const dot = (p: PointMm, u: PointMm) => p.x * u.x + p.y * u.y;
  const alongs = geometry.lines.flatMap((l) => [dot(l.start, geometry.along), dot(l.end, geometry.along)]);
  const [a0, a1] = [Math.min(...alongs), Math.max(...alongs)];
  const [c0, c1] = [geometry.offsets[0]!, geometry.offsets[geometry.offsets.length - 1]!];
  const inMiddle = (p: PointMm) => {
    const a = (dot(p, geometry.along) - a0) / (a1 - a0);
    const c = c1 > c0 ? (dot(p, geometry.across) - c0) / (c1 - c0) : 0.5;
    return a >= 0.25 && a <= 0.75 && c >= 0.25 && c <= 0.75;
  };
  let best = -1;
  for (let i = 0; i < smooth.values.length; i++) {
    const v = smooth.values[i]!;
    if (Number.isNaN(v) || (best >= 0 && v >= smooth.values[best]!)) continue;
    if (inMiddle(cellCentre(grid, Math.floor(i / grid.cols), i % grid.cols))) best = i;
  }
  if (best < 0) {
    const centre = scanCentre(geometry);
    const ring = ringMean(smooth, centre);
    return { centreMm: roundPoint(centre), method: 'scan-centre', how: 'no total thickness in the middle half of the scan: the grid is centred on the scan centre', confidence: 0, pitUm: null, rimUm: ring.mean, ringCoverage: ring.coverage };
  }
  const pit = smooth.values[best]!;
  const deepest = cellCentre(grid, Math.floor(best / grid.cols), best % grid.cols);
  const rimFirst = ringMean(smooth, deepest);
  const centre = rimFirst.mean !== null && rimFirst.mean > pit ? floorCentroid(smooth, best, pit + (rimFirst.mean - pit) * FLOOR_SHARE) : deepest;
  const ring = ringMean(smooth, centre);
  const depth = ring.mean !== null && ring.mean > 0 ? Math.max(0, (ring.mean - pit) / ring.mean) : 0;
  const confidence = Math.min(1, depth / 0.3) * ring.coverage;
  return {
    centreMm: roundPoint(centre),
    method: 'foveal-pit',
    how:
      `minimum of the total retinal thickness smoothed over ${SMOOTH_RADIUS_MM} mm, searched in the middle half of the scan, ` +
      `then the centre of the pit floor (within ${FLOOR_SHARE * 100} % of its depth); pit ${round(pit, 1)} µm, ` +
      `${RING_MM[0]}-${RING_MM[1]} mm ring ${ring.mean === null ? 'without data' : `${round(ring.mean, 1)} µm (${round(ring.coverage * 100, 0)} % with data)`}`,
    confidence: round(confidence, 3),
    pitUm: round(pit, 2),
    rimUm: ring.mean === null ? null : round(ring.mean, 2),
    ringCoverage: round(ring.coverage, 3),
  };
}

/** A person's placement of the fovea (audited by the caller): it wins over the pit. */
export function userFovea(centreMm: PointMm, total: EnfaceValues | null): Fovea3d {
  const ring = total ? ringMean(smoothMap(total, SMOOTH_RADIUS_MM / total.grid.spacingMm[0]), centreMm) : { mean: null, coverage: 0 };
  return { centreMm: roundPoint(centreMm), method: 'user', how: 'placed by a user', confidence: 1, pitUm: null, rimUm: ring.mean, ringCoverage: round(ring.coverage, 3) };
}

/** Mean of the map over the parafoveal ring around p, and the share of the ring's cells (of the unbounded lattice) holding data. */
function ringMean(map: EnfaceValues, p: PointMm): { mean: number | null; coverage: number } {
  const { grid, values } = map;
  const [dx, dy] = grid.spacingMm;
  const [r0, r1] = RING_MM;
  let inRing = 0;
  let k = 0;
  let s = 0;
  const { cc, rc, cMin, cMax, rMin, rMax } = latticeAround(grid, p, r1);
  for (let r = rMin; r <= rMax; r++) {
    for (let c = cMin; c <= cMax; c++) {
      const ox = (c - cc) * dx;
      const oy = (r - rc) * dy;
      const d = Math.sqrt(ox * ox + oy * oy);
      if (d < r0 || d > r1) continue;
      inRing++;
      if (r < 0 || c < 0 || r >= grid.rows || c >= grid.cols) continue;
      const v = values[r * grid.cols + c]!;
      if (Number.isNaN(v)) continue;
      k++;
      s += v;
    }
  }
  return { mean: k ? s / k : null, coverage: inRing ? k / inRing : 0 };
}

/** Centroid of the cells connected to `seed` (4-neighbours) at or below `level`, within FLOOR_REACH_MM of it. */
function floorCentroid(map: EnfaceValues, seed: number, level: number): PointMm {
  const { grid, values } = map;
  const seen = new Uint8Array(values.length);
  const stack = [seed];
  seen[seed] = 1;
  const s0 = cellCentre(grid, Math.floor(seed / grid.cols), seed % grid.cols);
  let sx = 0;
  let sy = 0;
  let k = 0;
  while (stack.length) {
    const i = stack.pop()!;
    const r = Math.floor(i / grid.cols);
    const c = i % grid.cols;
    const p = cellCentre(grid, r, c);
    sx += p.x;
    sy += p.y;
    k++;
    for (const [nr, nc] of [[r - 1, c], [r + 1, c], [r, c - 1], [r, c + 1]] as const) {
      if (nr < 0 || nc < 0 || nr >= grid.rows || nc >= grid.cols) continue;
      const j = nr * grid.cols + nc;
      if (seen[j]) continue;
      seen[j] = 1;
      const v = values[j]!;
      if (Number.isNaN(v) || v > level) continue;
      const q = cellCentre(grid, nr, nc);
      if (Math.hypot(q.x - s0.x, q.y - s0.y) > FLOOR_REACH_MM) continue;
      stack.push(j);
    }
  }
  return { x: sx / k, y: sy / k };
}

function roundPoint(p: PointMm): PointMm {
  return { x: round(p.x, 4), y: round(p.y, 4) };
}
