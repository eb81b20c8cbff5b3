/**
 * Stage 2a: islands, found in 2D. A layer's pixels normally form one band (or a few side by side, e.g.
 * the two halves of a layer split by a macular hole). A fragment of a layer is an island when, in most
 * of its columns, it contradicts the main bands (each class's largest component): it sits where its own
 * layer's main band already is in that column (an RPE blob inside the choroid under the RPE, an NFL speck
 * in the vitreous above the NFL), or on the wrong side of another layer's main band (an inner-layer
 * fragment under the ONL, an ONL blob under the RPE on a hole's floor). No column can hold a layer
 * twice or out of order, and the main band is the better evidence of where the layer is. Found with
 * 8-connected components over the whole image (one union-find pass over runs), never column by column,
 * so a thin sloping layer stays one piece.
 */
import { CLASS_COUNT } from '../../domain/layers';

export const ISLAND_RULES = {
  /**
   * A component of a layer is an island when in at least this share of its columns it contradicts the
   * main bands: its own layer's main band is in the column too, or another layer's main band lies on the
   * wrong side of it (a deeper layer above it, or a shallower one below).
   */
  contradictedColumnShare: 0.5,
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
  // per class and column: the rows the main band spans [top, bottom); -1 where it does not reach
  const mainTop = new Int32Array(CLASS_COUNT * width).fill(-1);
  const mainBottom = new Int32Array(CLASS_COUNT * width).fill(-1);
  for (let i = 0; i < count; i++) {
    if (root[i] !== main[label[i]!]) continue;
    const base = label[i]! * width;
    for (let x = start[i]!; x < end[i]!; x++) {
      if (mainTop[base + x]! < 0) mainTop[base + x] = row[i]!;
      mainBottom[base + x] = row[i]! + 1;
    }
  }
  /** Whether the main bands contradict a fragment of class k spanning rows [top, bottom) in column x. */
  const contradicted = (k: number, x: number, top: number, bottom: number): boolean => {
    if (mainTop[k * width + x]! >= 0) return true;
    for (let j = 1; j < CLASS_COUNT; j++) {
      if (j === k || mainTop[j * width + x]! < 0) continue;
      if (j > k && mainBottom[j * width + x]! <= top) return true; // a deeper layer's main band above it
      if (j < k && mainTop[j * width + x]! >= bottom) return true; // a shallower one below it
    }
    return false;
  };
  // the other components, one at a time (runs grouped by component, in row order within it)
  const order = Array.from({ length: count }, (_, i) => i).filter((i) => root[i] !== main[label[i]!]);
  order.sort((p, q) => root[p]! - root[q]!);
  const stamp = new Int32Array(width).fill(-1);
  const colTop = new Int32Array(width);
  const colBottom = new Int32Array(width);
  const cols: number[] = [];
  const isIsland = new Uint8Array(count);
  let components = 0;
  for (let a = 0; a < order.length; ) {
    const r = root[order[a]!]!;
    const k = label[r]!;
    cols.length = 0;
    let b = a;
    for (; b < order.length && root[order[b]!] === r; b++) {
      const i = order[b]!;
      for (let x = start[i]!; x < end[i]!; x++) {
        if (stamp[x] !== r) {
          stamp[x] = r;
          colTop[x] = row[i]!;
          cols.push(x);
        }
        colBottom[x] = row[i]! + 1;
      }
    }
    let against = 0;
    for (const x of cols) if (contradicted(k, x, colTop[x]!, colBottom[x]!)) against++;
    if (area[r]! <= ISLAND_RULES.specklePixels || against >= cols.length * ISLAND_RULES.contradictedColumnShare) {
      isIsland[r] = 1;
      components++;
    }
    a = b;
  }
  const mask = new Uint8Array(width * height);
  let pixels = 0;
  for (const i of order) {
    if (isIsland[root[i]!] !== 1) continue;
    pixels += end[i]! - start[i]!;
    mask.fill(1, row[i]! * width + start[i]!, row[i]! * width + end[i]!);
  }
  return { mask, components, pixels };
}
