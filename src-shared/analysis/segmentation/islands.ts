/**
 * Stage 2a: islands, found in 2D. A layer's pixels normally form one band (or a few side by side, e.g.
 * the two halves of a layer split by a macular hole). A fragment of a layer lying above or below that
 * layer's main band, in the same columns (an RPE blob inside the choroid, an NFL speck in the vitreous),
 * is an island: no column can hold the same layer twice. Found with 8-connected components over the
 * whole image (one union-find pass), never column by column, so a thin sloping layer stays one piece.
 */
import { CLASS_COUNT } from '../../domain/layers';

export const ISLAND_RULES = {
  /**
   * A component of a layer is an island when at least this share of its columns also hold the layer's
   * largest component (it sits above or below the main band, where the layer cannot be twice).
   */
  duplicatedColumnShare: 0.5,
  /** Components of at most this many pixels are speckle whatever their position. */
  specklePixels: 4,
} as const;

export interface IslandResult {
  /** 1 where a pixel belongs to an island of its (argmax) class; 0 elsewhere. */
  mask: Uint8Array;
  /** Number of island components and their pixels. */
  components: number;
  pixels: number;
}

/** Root of `i` in the union-find forest, halving the path on the way. */
function find(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    const g = parent[parent[i]!]!;
    parent[i] = g;
    i = g;
  }
  return i;
}

/** Horizontal runs of equal non-background labels, row by row, with the component (root run) of each. */
export interface LabelRuns {
  count: number;
  row: Int32Array;
  start: Int32Array;
  /** One past the run's last column. */
  end: Int32Array;
  label: Uint8Array;
  /** Index of the component's root run (its first run in row-major order). */
  root: Int32Array;
}

/**
 * 8-connected components of equal layer labels, one union-find pass over horizontal runs (a layer is a
 * horizontal band, so a row holds a few dozen runs instead of hundreds of pixels). Background is skipped.
 */
export function labelRuns(labels: Uint8Array, width: number, height: number): LabelRuns {
  let cap = Math.max(1024, height * 16);
  let row = new Int32Array(cap);
  let start = new Int32Array(cap);
  let end = new Int32Array(cap);
  let label = new Uint8Array(cap);
  let count = 0;
  const rowFirst = new Int32Array(height + 1);
  for (let y = 0; y < height; y++) {
    rowFirst[y] = count;
    const base = y * width;
    for (let x = 0; x < width; ) {
      const l = labels[base + x]!;
      const a = x;
      while (x < width && labels[base + x] === l) x++;
      if (l === 0) continue;
      if (count === cap) {
        cap *= 2;
        const grow = <T extends Int32Array | Uint8Array>(old: T, make: (n: number) => T): T => {
          const next = make(cap);
          next.set(old);
          return next;
        };
        row = grow(row, (n) => new Int32Array(n));
        start = grow(start, (n) => new Int32Array(n));
        end = grow(end, (n) => new Int32Array(n));
        label = grow(label, (n) => new Uint8Array(n));
      }
      row[count] = y;
      start[count] = a;
      end[count] = x;
      label[count] = l;
      count++;
    }
  }
  rowFirst[height] = count;
  const parent = new Int32Array(count);
  for (let i = 0; i < count; i++) parent[i] = i;
  for (let y = 1; y < height; y++) {
    // runs of row y against runs of row y-1 (two pointers); 8-connected: touching diagonally counts
    let j = rowFirst[y - 1]!;
    const jEnd = rowFirst[y]!;
    for (let i = rowFirst[y]!; i < rowFirst[y + 1]!; i++) {
      while (j < jEnd && end[j]! < start[i]!) j++;
      for (let k = j; k < jEnd && start[k]! <= end[i]!; k++) {
        if (label[k] !== label[i]) continue;
        const ra = find(parent, i);
        const rb = find(parent, k);
        if (ra !== rb) {
          if (ra < rb) parent[rb] = ra;
          else parent[ra] = rb;
        }
      }
    }
  }
  for (let i = 0; i < count; i++) parent[i] = find(parent, i);
  return { count, row, start, end, label, root: parent };
}

/**
 * The islands of a label map (see the file comment and ISLAND_RULES). Background is never an island:
 * a hole, a cyst or fluid inside the retina is anatomy, not noise.
 */
export function findIslands(labels: Uint8Array, width: number, height: number): IslandResult {
  const runs = labelRuns(labels, width, height);
  const { count, row, start, end, label, root } = runs;
  const area = new Int32Array(count);
  for (let i = 0; i < count; i++) area[root[i]!] = area[root[i]!]! + end[i]! - start[i]!;
  // the largest component of each class: its main band
  const main = new Int32Array(CLASS_COUNT).fill(-1);
  for (let i = 0; i < count; i++) {
    if (root[i] !== i) continue;
    const c = label[i]!;
    if (main[c]! < 0 || area[i]! > area[main[c]!]!) main[c] = i;
  }
  // per class and column: does the main band reach this column?
  const mainInColumn = new Uint8Array(CLASS_COUNT * width);
  for (let i = 0; i < count; i++) {
    if (root[i] !== main[label[i]!]) continue;
    mainInColumn.fill(1, label[i]! * width + start[i]!, label[i]! * width + end[i]!);
  }
  // per other component: its distinct columns and those it shares with its class's main band
  const order = Array.from({ length: count }, (_, i) => i).filter((i) => root[i] !== main[label[i]!]);
  order.sort((p, q) => root[p]! - root[q]!);
  const stamp = new Int32Array(width).fill(-1);
  const columns = new Int32Array(count);
  const shared = new Int32Array(count);
  for (const i of order) {
    const r = root[i]!;
    const m = label[i]! * width;
    for (let x = start[i]!; x < end[i]!; x++) {
      if (stamp[x] === r) continue;
      stamp[x] = r;
      columns[r]!++;
      shared[r]! += mainInColumn[m + x]!;
    }
  }
  const mask = new Uint8Array(width * height);
  let components = 0;
  let pixels = 0;
  for (const i of order) {
    const r = root[i]!;
    if (!(area[r]! <= ISLAND_RULES.specklePixels || shared[r]! >= columns[r]! * ISLAND_RULES.duplicatedColumnShare)) continue;
    if (i === r) components++;
    pixels += end[i]! - start[i]!;
    mask.fill(1, row[i]! * width + start[i]!, row[i]! * width + end[i]!);
  }
  return { mask, components, pixels };
}
