/**
 * The en-face grid and its maps: per-A-scan values placed on the localizer plane and interpolated onto
 * a regular grid only between the two neighbouring B-scans of each cell (raster-geometry.ts). A cell
 * with no data is NaN here and null in every export; nothing is extrapolated past the scanned area.
 */
import type { PointMm } from '../../formats/types';
import { bracketOf, scannedBounds, type RasterGeometry } from './raster-geometry';

/** A regular grid on the localizer plane; cell (row, col) has its centre at origin + (col * dx, row * dy). */
export interface EnfaceGrid {
  /** Centre of cell (0, 0), mm from the localizer's top-left corner. */
  originMm: [number, number];
  spacingMm: [number, number];
  rows: number;
  cols: number;
}

/** One map: a value per cell, row-major, NaN where there is no data. */
export interface EnfaceValues {
  grid: EnfaceGrid;
  values: Float32Array;
}

/**
 * One map as it leaves the analysis (the viewer channel, `stratum maps` JSON): the grid inline, values
 * row-major (row 0 at the localizer's top, superior), null where there is no data.
 */
export interface EnfaceMapExport extends EnfaceGrid {
  layer: string;
  label: string;
  source: 'stratum' | 'device';
  unit: 'um';
  values: (number | null)[];
}

/** At most this many cells a side: a finer default spacing is coarsened to fit. */
const MAX_CELLS_PER_SIDE = 1024;

/**
 * The default grid: square cells as fine as the A-scans along a B-scan (or the gap between B-scans,
 * when that is finer), over the scanned area's bounding box.
 */
export function defaultGrid(g: RasterGeometry, spacingMm?: number): EnfaceGrid {
  const b = scannedBounds(g);
  const w = b.maxX - b.minX;
  const h = b.maxY - b.minY;
  let s = spacingMm ?? Math.min(g.ascanSpacingMm, g.medianGapMm);
  s = Math.max(s, Math.max(w, h) / (MAX_CELLS_PER_SIDE - 1));
  return {
    originMm: [b.minX, b.minY],
    spacingMm: [s, s],
    cols: Math.floor(w / s + 1e-9) + 1,
    rows: Math.floor(h / s + 1e-9) + 1,
  };
}

export function cellCentre(grid: EnfaceGrid, row: number, col: number): PointMm {
  return { x: grid.originMm[0] + col * grid.spacingMm[0], y: grid.originMm[1] + row * grid.spacingMm[1] };
}

/**
 * Each cell's bracket, computed once per volume and grid (the geometry is the same for every map):
 * `a`/`b` the neighbouring B-scans (-1: no data), `w` the weight of b, `fa`/`fb` the A-scan positions.
 */
export interface GridSampler {
  grid: EnfaceGrid;
  a: Int32Array;
  b: Int32Array;
  w: Float32Array;
  fa: Float32Array;
  fb: Float32Array;
}

export function gridSampler(g: RasterGeometry, grid: EnfaceGrid): GridSampler {
  const n = grid.rows * grid.cols;
  const s: GridSampler = { grid, a: new Int32Array(n).fill(-1), b: new Int32Array(n).fill(-1), w: new Float32Array(n), fa: new Float32Array(n), fb: new Float32Array(n) };
  for (let r = 0; r < grid.rows; r++) {
    for (let c = 0; c < grid.cols; c++) {
      const br = bracketOf(g, cellCentre(grid, r, c));
      if (!br) continue;
      const i = r * grid.cols + c;
      s.a[i] = br.a;
      s.b[i] = br.b;
      s.w[i] = br.w;
      s.fa[i] = br.fa;
      s.fb[i] = br.fb;
    }
  }
  return s;
}

/**
 * A value at a fractional A-scan index: linear between the two A-scans around it, which must both hold
 * one (NaN otherwise); exactly on an A-scan, that A-scan's value.
 */
function along(values: Float32Array, f: number): number {
  const i = Math.floor(f);
  const t = f - i;
  const v0 = values[i]!;
  if (t < 1e-6) return v0;
  const v1 = values[i + 1]!;
  return v0 + (v1 - v0) * t;
}

/**
 * One map from per-B-scan, per-A-scan values (series index -> values, NaN invalid; a missing B-scan
 * is undefined): bilinear between the four A-scans around each cell, two on each neighbouring B-scan.
 * A cell gets a value only when both neighbours give one, so a B-scan without data leaves a hole on
 * either side of it instead of being bridged.
 */
export function sampleMap(sampler: GridSampler, perBscan: readonly (Float32Array | undefined)[]): EnfaceValues {
  const n = sampler.a.length;
  const values = new Float32Array(n).fill(NaN);
  for (let i = 0; i < n; i++) {
    const a = sampler.a[i]!;
    if (a < 0) continue;
    const va = perBscan[a];
    const vb = perBscan[sampler.b[i]!];
    if (!va || !vb) continue;
    const x = along(va, sampler.fa[i]!);
    const y = along(vb, sampler.fb[i]!);
    const w = sampler.w[i]!;
    // weight 0 or 1: the cell lies on one B-scan, whose value alone counts (the other may be NaN there)
    values[i] = w <= 1e-6 ? x : w >= 1 - 1e-6 ? y : x + (y - x) * w;
  }
  return { grid: sampler.grid, values };
}

/** The map's value at a point (bilinear between the four cells around it, each of which must hold data), NaN outside. */
export function valueAt(map: EnfaceValues, p: PointMm): number {
  const { grid, values } = map;
  const fc = snap((p.x - grid.originMm[0]) / grid.spacingMm[0]);
  const fr = snap((p.y - grid.originMm[1]) / grid.spacingMm[1]);
  if (fc < -1e-9 || fr < -1e-9 || fc > grid.cols - 1 + 1e-9 || fr > grid.rows - 1 + 1e-9) return NaN;
  const c0 = Math.min(grid.cols - 1, Math.max(0, Math.floor(fc)));
  const r0 = Math.min(grid.rows - 1, Math.max(0, Math.floor(fr)));
  const c1 = Math.min(grid.cols - 1, c0 + 1);
  const r1 = Math.min(grid.rows - 1, r0 + 1);
  const tc = Math.min(1, Math.max(0, fc - c0));
  const tr = Math.min(1, Math.max(0, fr - r0));
  const at = (r: number, c: number) => values[r * grid.cols + c]!;
  const top = tc < 1e-6 ? at(r0, c0) : at(r0, c0) + (at(r0, c1) - at(r0, c0)) * tc;
  const bottom = tc < 1e-6 ? at(r1, c0) : at(r1, c0) + (at(r1, c1) - at(r1, c0)) * tc;
  return tr < 1e-6 ? top : top + (bottom - top) * tr;
}

/** A cell index within rounding of an integer is that integer (a point on a cell centre needs no neighbour). */
function snap(f: number): number {
  const r = Math.round(f);
  return Math.abs(f - r) < 1e-6 ? r : f;
}

/**
 * The lattice points of the grid (extended past its edges) within `radius` mm of `centre` as index
 * ranges, and the centre in fractional indices (snapped to a lattice point within rounding). Offsets
 * measured as (c - cc) * dx are then exactly mirror-symmetric around a centre on a lattice point.
 */
export function latticeAround(grid: EnfaceGrid, centre: PointMm, radius: number): { cc: number; rc: number; cMin: number; cMax: number; rMin: number; rMax: number } {
  const [dx, dy] = grid.spacingMm;
  const cc = snap((centre.x - grid.originMm[0]) / dx);
  const rc = snap((centre.y - grid.originMm[1]) / dy);
  const eps = 1e-9;
  return {
    cc,
    rc,
    cMin: Math.ceil(cc - radius / dx - eps),
    cMax: Math.floor(cc + radius / dx + eps),
    rMin: Math.ceil(rc - radius / dy - eps),
    rMax: Math.floor(rc + radius / dy + eps),
  };
}

/** The values that hold data, as a new typed array. */
export function withoutNaN(values: Float32Array): Float32Array {
  let n = 0;
  for (const x of values) if (!Number.isNaN(x)) n++;
  const out = new Float32Array(n);
  let i = 0;
  for (const x of values) if (!Number.isNaN(x)) out[i++] = x;
  return out;
}
