/**
 * Checks of a boundary correction before it is saved (issue 15.6): a drawn boundary that leaves the
 * tissue (an ILM drawn up into the dark vitreous, a choroid bottom drawn down into the dark below) or
 * that is pushed onto its neighbour (squeezing the layer between them out) is *warned about*, with what,
 * where and by how much, never refused: the clinician may be right. Without these an ILM drawn into the
 * vitreous took TRT from 329 to 397 µm without a word.
 *
 * Pure, and one pass over each map: it runs in the renderer when a stroke ends. Boundaries are those of
 * boundary-edit.ts (b = 0 the ILM, k between layer k and k+1, 8 the choroid's bottom).
 */
import type { ThicknessUnit } from '../domain/segmentation';
import { BOUNDARY_COUNT, boundaryName } from './boundary-edit';
import { meanOf, round } from './numbers';
import { layerBoundaries, totalThicknessPx, type LayerBoundaries } from './segmentation/boundaries';
import { RETINA_FIRST, RETINA_LAST, layerByIndex } from '../domain/layers';

interface Grid {
  readonly labels: Uint8Array;
  readonly width: number;
  readonly height: number;
}

export interface CorrectionCheckInput {
  /** The map the correction started from. */
  before: Grid;
  /** The map as drawn. */
  after: Grid;
  /** The B-scan's grey levels (0-255), row-major, the maps' size; null: the tissue checks are skipped. */
  image: Uint8Array | null;
  /** µm per pixel along an A-scan; null reports in pixels. */
  axialUmPerPx: number | null;
}

export type CorrectionWarningKind = 'into-vitreous' | 'below-tissue' | 'crossed-boundary';

export interface CorrectionWarning {
  kind: CorrectionWarningKind;
  /** The boundary drawn. */
  boundary: number;
  /** The neighbouring boundary it was pushed onto ('crossed-boundary'). */
  neighbour?: number;
  columns: number;
  firstColumn: number;
  lastColumn: number;
  /** Largest distance in pixels: how deep into the dark region, or the thickness of the layer squeezed out. */
  maxPx: number;
  /** Mean change of total retinal thickness over those columns, in `unit`; null where it cannot be measured. */
  trtChange: number | null;
  unit: ThicknessUnit;
  /** One sentence: what, where and by how much. */
  message: string;
}

export interface CorrectionReview {
  warnings: CorrectionWarning[];
  /** Mean total retinal thickness over the scan before and after, in `unit` (as the summary computes it). */
  trt: { before: number | null; after: number | null; unit: ThicknessUnit };
}

/** The thresholds, in one place. */
export const CORRECTION_CHECK_RULES = {
  /** A column counts as drawn into a dark region when at least this many of its new pixels are dark... */
  minDarkPixels: 3,
  /** ...and they are at least this share of the pixels the stroke added there. */
  minDarkShare: 0.5,
  /** Below this grey-level gap between tissue and the dark region, darkness says nothing: no tissue check. */
  minContrast: 12,
  /** A layer thinner than this before the stroke is not "squeezed out" (NFL thins to nothing at the pit). */
  minSqueezedPx: 2,
} as const;

/** The warnings for one correction and the scan's TRT before and after. */
export function checkCorrection(input: CorrectionCheckInput): CorrectionReview {
  const { before, after, axialUmPerPx } = input;
  const { width, height } = before;
  const unit: ThicknessUnit = axialUmPerPx !== null && axialUmPerPx > 0 ? 'um' : 'px';
  const lb = layerBoundaries(before.labels, width, height);
  const la = layerBoundaries(after.labels, width, height);
  const rowsBefore = boundaryRows(lb, width);
  const rowsAfter = boundaryRows(la, width);
  const trtBefore = totalThicknessPx(lb, width);
  const trtAfter = totalThicknessPx(la, width);
  const ctx: Context = { input, unit, trtBefore, trtAfter, rowsBefore, rowsAfter };
  const warnings: CorrectionWarning[] = [];
  if (input.image) warnings.push(...tissueWarnings(ctx));
  warnings.push(...crossingWarnings(ctx, lb, la));
  const inUnit = (px: number | null) => (px === null ? null : round(unit === 'um' ? px * axialUmPerPx! : px, unit === 'um' ? 0 : 1));
  return { warnings, trt: { before: inUnit(meanOf(trtBefore)), after: inUnit(meanOf(trtAfter)), unit } };
}

/**
 * Row of each boundary per column, as boundary-edit.ts's boundaryRow defines it (the first labelled row of
 * a class deeper than b; one past the last labelled row for the bottom), -1 in a column with no label.
 */
export function boundaryRows(b: LayerBoundaries, width: number): Int32Array[] {
  const rows = Array.from({ length: BOUNDARY_COUNT }, () => new Int32Array(width).fill(-1));
  for (let x = 0; x < width; x++) {
    let last = -1;
    for (let c = 1; c < b.bottom.length; c++) last = Math.max(last, b.bottom[c]![x]!);
    if (last < 0) continue;
    for (let k = 0; k < BOUNDARY_COUNT - 1; k++) {
      let row = last;
      for (let c = k + 1; c < b.top.length; c++) {
        const t = b.top[c]![x]!;
        if (t >= 0 && t < row) row = t;
      }
      rows[k]![x] = row;
    }
    rows[BOUNDARY_COUNT - 1]![x] = last;
  }
  return rows;
}

interface Context {
  input: CorrectionCheckInput;
  unit: ThicknessUnit;
  trtBefore: (number | null)[];
  trtAfter: (number | null)[];
  rowsBefore: Int32Array[];
  rowsAfter: Int32Array[];
}

/** Columns where a stroke took the ILM up into the vitreous, or the choroid's bottom down past the tissue. */
function tissueWarnings(ctx: Context): CorrectionWarning[] {
  const image = ctx.input.image!;
  const { width } = ctx.input.before;
  const R = CORRECTION_CHECK_RULES;
  const tissue = median(collect(image, ctx.input.before.labels, (label) => label >= RETINA_FIRST && label <= RETINA_LAST));
  const out: CorrectionWarning[] = [];
  for (const [boundary, kind] of [[0, 'into-vitreous'], [BOUNDARY_COUNT - 1, 'below-tissue']] as const) {
    const top = ctx.rowsBefore[boundary]!;
    // the dark region as the map it started from has it: above its ILM, below its choroid
    const outside = median(collectOutside(image, width, ctx.input.before.height, top, boundary === 0 ? 'above' : 'below'));
    if (tissue === null || outside === null || tissue - outside < R.minContrast) continue;
    const threshold = (tissue + outside) / 2;
    const hits: { x: number; dark: number }[] = [];
    for (let x = 0; x < width; x++) {
      const from = ctx.rowsBefore[boundary]![x]!;
      const to = ctx.rowsAfter[boundary]![x]!;
      if (from < 0 || to < 0) continue;
      const [y0, y1] = boundary === 0 ? [to, from] : [from, to];
      if (y1 <= y0) continue; // moved the other way: into the tissue
      let dark = 0;
      for (let y = y0; y < y1; y++) if (image[y * width + x]! < threshold) dark++;
      if (dark >= R.minDarkPixels && dark >= (y1 - y0) * R.minDarkShare) hits.push({ x, dark });
    }
    if (hits.length === 0) continue;
    const maxPx = Math.max(...hits.map((h) => h.dark));
    const where = boundary === 0 ? 'up into the vitreous' : 'down below the tissue';
    out.push(warning(ctx, kind, boundary, undefined, hits.map((h) => h.x), maxPx, (span) => `${boundaryName(boundary)} moved ${where} by up to ${distance(maxPx, ctx)} ${span}`));
  }
  return out;
}

/** Columns where a drawn boundary was stopped by its neighbour, squeezing out the layer between them. */
function crossingWarnings(ctx: Context, lb: LayerBoundaries, la: LayerBoundaries): CorrectionWarning[] {
  const { width } = ctx.input.before;
  const out: CorrectionWarning[] = [];
  for (let b = 0; b < BOUNDARY_COUNT; b++) {
    for (const direction of ['up', 'down'] as const) {
      // moving b up squeezes layer b (above it, down to boundary b-1); moving it down squeezes layer b+1
      const layer = direction === 'up' ? b : b + 1;
      const neighbour = direction === 'up' ? b - 1 : b + 1;
      if (layer < 1 || layer > 8) continue;
      const columns: number[] = [];
      let maxPx = 0;
      for (let x = 0; x < width; x++) {
        const from = ctx.rowsBefore[b]![x]!;
        const to = ctx.rowsAfter[b]![x]!;
        if (from < 0 || to < 0 || (direction === 'up' ? to >= from : to <= from)) continue;
        const thick = lb.top[layer]![x]! < 0 ? 0 : lb.bottom[layer]![x]! - lb.top[layer]![x]!;
        if (thick >= CORRECTION_CHECK_RULES.minSqueezedPx && la.top[layer]![x]! < 0) {
          columns.push(x);
          maxPx = Math.max(maxPx, thick);
        }
      }
      if (columns.length === 0) continue;
      const name = layerByIndex(layer)?.name ?? String(layer);
      const describe = (span: string) => `${boundaryName(b)} pushed onto ${boundaryName(neighbour)} ${span}: the ${name}, up to ${distance(maxPx, ctx)} thick, is squeezed out`;
      out.push(warning(ctx, 'crossed-boundary', b, neighbour, columns, maxPx, describe));
    }
  }
  return out;
}

/** A warning over `columns`; `describe` says what happened, given where ("over 20 columns (10-29)"). */
function warning(
  ctx: Context,
  kind: CorrectionWarningKind,
  boundary: number,
  neighbour: number | undefined,
  columns: number[],
  maxPx: number,
  describe: (span: string) => string,
): CorrectionWarning {
  const deltas = columns.map((x) => {
    const a = ctx.trtBefore[x];
    const b = ctx.trtAfter[x];
    return a === null || a === undefined || b === null || b === undefined ? null : b - a;
  });
  const deltaPx = meanOf(deltas);
  const axial = ctx.input.axialUmPerPx;
  const trtChange = deltaPx === null ? null : round(ctx.unit === 'um' ? deltaPx * axial! : deltaPx, ctx.unit === 'um' ? 0 : 1);
  const first = columns[0]!;
  const last = columns[columns.length - 1]!;
  const span = columns.length === 1 ? `in column ${first}` : `over ${columns.length} columns (${first}-${last})`;
  const trt = trtChange === null || trtChange === 0 ? '' : `; TRT ${trtChange > 0 ? '+' : '−'}${Math.abs(trtChange)} ${ctx.unit === 'um' ? 'µm' : 'px'} there`;
  return {
    kind,
    boundary,
    ...(neighbour === undefined ? {} : { neighbour }),
    columns: columns.length,
    firstColumn: first,
    lastColumn: last,
    maxPx,
    trtChange,
    unit: ctx.unit,
    message: `${describe(span)}${trt}.`,
  };
}

function distance(px: number, ctx: Context): string {
  const axial = ctx.input.axialUmPerPx;
  return ctx.unit === 'um' ? `${px} px (${Math.round(px * axial!)} µm)` : `${px} px`;
}

/** Histogram of the grey levels of the pixels whose label passes `keep`. */
function collect(image: Uint8Array, labels: Uint8Array, keep: (label: number) => boolean): Uint32Array {
  const hist = new Uint32Array(256);
  for (let i = 0; i < labels.length; i++) if (keep(labels[i]!)) hist[image[i]!]!++;
  return hist;
}

/** Histogram of the grey levels above (or below) a boundary, in the columns where it exists. */
function collectOutside(image: Uint8Array, width: number, height: number, rows: Int32Array, side: 'above' | 'below'): Uint32Array {
  const hist = new Uint32Array(256);
  for (let x = 0; x < width; x++) {
    const r = rows[x]!;
    if (r < 0) continue;
    const [y0, y1] = side === 'above' ? [0, r] : [r, height];
    for (let y = y0; y < y1; y++) hist[image[y * width + x]!]!++;
  }
  return hist;
}

/** Median grey level of a histogram; null when it is empty. */
function median(hist: Uint32Array): number | null {
  let n = 0;
  for (const v of hist) n += v;
  if (n === 0) return null;
  let seen = 0;
  for (let g = 0; g < 256; g++) {
    seen += hist[g]!;
    if (seen * 2 >= n) return g;
  }
  return 255;
}
