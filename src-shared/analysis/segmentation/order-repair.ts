/**
 * Stage 2: anatomical order. A network can put an island of one layer inside another or a fragment
 * above where it belongs; thickness and boundaries are only meaningful once each column is ordered.
 */
import { CLASS_COUNT } from '../../domain/layers';

/**
 * Makes every column anatomically ordered: background above, then NFL..Choroid top to bottom, each
 * layer one contiguous band (or absent), background below. Solved exactly per column as the ordered
 * relabelling that changes the fewest pixels (dynamic programming over 10 states: background above,
 * the 8 layers, background below), which removes islands and out-of-order fragments and fills
 * unlabeled gaps inside the retina from a neighbouring layer. Works in place; returns the number of
 * columns that needed a change and the number of pixels changed.
 */
export function repairOrder(labels: Uint8Array, width: number, height: number): { columns: number; pixels: number } {
  const S = CLASS_COUNT + 1; // states 0..9; state 9 = background below
  const stateLabel = (s: number) => (s === S - 1 ? 0 : s);
  const choice = new Uint8Array(height * S);
  let cost = new Float64Array(S);
  let next = new Float64Array(S);
  const column = new Uint8Array(height);
  let columnsChanged = 0;
  let pixelsChanged = 0;
  for (let x = 0; x < width; x++) {
    // fast path: most columns of a good segmentation are already ordered
    let state = 0;
    let ordered = true;
    for (let y = 0; y < height; y++) {
      const l = labels[y * width + x]!;
      column[y] = l;
      if (l === 0) {
        if (state !== 0) state = S - 1;
      } else if (state === S - 1 || l < state) {
        ordered = false;
      } else {
        state = l;
      }
    }
    if (ordered) continue;
    for (let s = 0; s < S; s++) {
      // first row: any state may start (states before it are empty)
      cost[s] = column[0] === stateLabel(s) ? 0 : 1;
      choice[s] = s;
    }
    for (let y = 1; y < height; y++) {
      const l = column[y]!;
      let bestPrev = Infinity;
      let bestPrevState = 0;
      for (let s = 0; s < S; s++) {
        if (cost[s]! < bestPrev) {
          bestPrev = cost[s]!;
          bestPrevState = s;
        }
        // on ties stay in the same state (fewer boundaries)
        const stay = cost[s]!;
        let from = s;
        let base = stay;
        if (bestPrev < stay) {
          base = bestPrev;
          from = bestPrevState;
        }
        next[s] = base + (l === stateLabel(s) ? 0 : 1);
        choice[y * S + s] = from;
      }
      const t = cost;
      cost = next;
      next = t;
    }
    let s = 0;
    for (let k = 1; k < S; k++) if (cost[k]! < cost[s]!) s = k;
    let changed = 0;
    for (let y = height - 1; y >= 0; y--) {
      const want = stateLabel(s);
      if (column[y] !== want) {
        labels[y * width + x] = want;
        changed++;
      }
      if (y > 0) s = choice[y * S + s]!;
    }
    if (changed > 0) {
      columnsChanged++;
      pixelsChanged += changed;
    }
  }
  return { columns: columnsChanged, pixels: pixelsChanged };
}
