/**
 * Manual boundary correction on a label map. Clinicians correct layer *boundaries*, not pixels (as in
 * HEYEX, OCTExplorer, OCT-Marker): they pick a boundary and draw where it really runs; every column the
 * stroke crosses gets that boundary moved to the stroke's row. Moving a boundary only ever grows the layer
 * on one side of it into the other, clamped between the neighbouring boundaries, so a corrected map keeps
 * the anatomical order. Pure and allocation-light: runs in the renderer on every pointer move.
 */
import { AppError } from '../contract/errors';
import { layerByIndex } from '../domain/layers';

/** Boundary b (0..8): 0 is the top of the NFL (ILM), k = 1..7 lies between layer k and k+1, 8 is the bottom of the choroid. */
export const BOUNDARY_COUNT = 9;

export function boundaryName(b: number): string {
  if (b === 0) return 'ILM (top of NFL)';
  if (b === BOUNDARY_COUNT - 1) return 'Choroid bottom';
  return `${layerByIndex(b)?.name ?? b} / ${layerByIndex(b + 1)?.name ?? b + 1}`;
}

interface Grid {
  readonly labels: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/**
 * Row where boundary b runs in column x: the first labelled row whose class is deeper than b (for 8, one
 * past the last labelled row). null when the column has no labelled pixel at all.
 */
export function boundaryRow(g: Grid, x: number, b: number): number | null {
  const { labels, width, height } = g;
  let first = -1;
  let last = -1;
  for (let y = 0; y < height; y++) {
    if (labels[y * width + x]) {
      if (first < 0) first = y;
      last = y;
    }
  }
  if (first < 0) return null;
  if (b >= BOUNDARY_COUNT - 1) return last + 1;
  for (let y = first; y <= last; y++) {
    const c = labels[y * width + x]!;
    if (c > b) return y;
  }
  return last + 1;
}

/** Moves boundary b in column x to row y (clamped between its neighbours). Returns the pixels changed. */
export function moveBoundary(g: Grid, b: number, x: number, y: number): number {
  if (x < 0 || x >= g.width || b < 0 || b >= BOUNDARY_COUNT) return 0;
  const current = boundaryRow(g, x, b);
  if (current === null) return 0;
  const upper = b === 0 ? 0 : (boundaryRow(g, x, b - 1) ?? 0);
  const lower = b === BOUNDARY_COUNT - 1 ? g.height : (boundaryRow(g, x, b + 1) ?? g.height);
  const target = Math.max(upper, Math.min(lower, Math.round(y)));
  // The class just above the boundary grows down, or the class just below grows up (0 outside the stack).
  const above = b;
  const below = b === BOUNDARY_COUNT - 1 ? 0 : b + 1;
  let changed = 0;
  const paint = (from: number, to: number, cls: number) => {
    for (let r = from; r < to; r++) {
      const i = r * g.width + x;
      if (g.labels[i] !== cls) {
        g.labels[i] = cls;
        changed++;
      }
    }
  };
  if (target > current) paint(current, target, above);
  else if (target < current) paint(target, current, below);
  return changed;
}

/** Moves boundary b along a pointer segment, one column at a time (rows interpolated). Returns pixels changed. */
export function strokeBoundary(g: Grid, b: number, from: { x: number; y: number }, to: { x: number; y: number }): number {
  const x0 = Math.round(from.x);
  const x1 = Math.round(to.x);
  const steps = Math.abs(x1 - x0);
  let changed = 0;
  for (let i = 0; i <= steps; i++) {
    const t = steps === 0 ? 1 : i / steps;
    changed += moveBoundary(g, b, x0 + Math.sign(x1 - x0) * i, from.y + (to.y - from.y) * t);
  }
  return changed;
}

/** Share (0..1) of the pixels labelled in either map whose class differs: how much was corrected by hand. */
export function changedShare(base: Uint8Array, edited: Uint8Array): { share: number; pixels: number } {
  if (base.length !== edited.length) {
    throw new AppError('BAD_INPUT', `The corrected label map has ${edited.length} pixels; the segmentation it corrects has ${base.length}.`, {
      pixels: edited.length,
      basePixels: base.length,
    });
  }
  let labelled = 0;
  let differ = 0;
  for (let i = 0; i < base.length; i++) {
    const a = base[i]!;
    const e = edited[i]!;
    if (a === 0 && e === 0) continue;
    labelled++;
    if (a !== e) differ++;
  }
  return { share: labelled === 0 ? 0 : differ / labelled, pixels: differ };
}
