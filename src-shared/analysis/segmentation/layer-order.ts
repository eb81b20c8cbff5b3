/**
 * Stage 2b: anatomical order from the network's probabilities. In every column the layers must run
 * NFL..Choroid from top to bottom, each at most once. Where the argmax breaks that (a fragment of one
 * layer inside another, an island), the column is relabelled by the most probable ordered sequence,
 * and a pixel only ever gets a layer the network itself gave real probability to. What the network
 * called background (a hole, a cyst, fluid, a detachment) stays background: gaps are anatomy, never
 * filled. Where no ordered layer is supported, the pixel is left unlabelled instead of forced.
 *
 * The model, solved exactly. Each column is cut into 8 consecutive regions, one per layer (a region may
 * be empty: a layer can be skipped, e.g. NFL at the fovea). Inside region k a pixel is either layer k
 * or background, so its cost is -log(p_k + p_bg): a region never pays for a gap. Each non-empty region
 * after the first costs `transitionCost` (a tie-breaker against needless boundaries). Smoothness across
 * columns: the cost a column sees is the mean cost over the columns within `smoothingRadius`, i.e. each
 * column is solved as if its neighbours shared its boundaries. That keeps the problem a per-column
 * chain (exact dynamic programme, O(8 x pixels)) instead of a 2D one that would need iterative
 * approximation; it is what removes the column-to-column flicker (vertical stripes) of an independent
 * per-column repair. Columns that are already ordered (and hold no island) keep the argmax untouched.
 */
import { expNonPositive } from './argmax';
import { CLASS_COUNT } from '../../domain/layers';

export const ORDER_RULES = {
  /** Columns on each side whose costs a column shares (the smoothness term across columns). */
  smoothingRadius: 3,
  /** Cost (nats) of each boundary between non-empty regions; only a tie-breaker. */
  transitionCost: 0.05,
  /**
   * A relabelled pixel gets its region's layer only if the network gave that layer at least this
   * probability and more than background; otherwise it is left unlabelled (0). 0.15 is above the
   * uniform 1/9 (the network's "no idea") so a layer is never written where the network had none.
   */
  minSupport: 0.15,
} as const;

const LAYER_COUNT = CLASS_COUNT - 1;
/** Costs are clipped here (nats): a pixel the network is sure of cannot outweigh a whole column. */
const COST_CAP = 12;
const SOFTPLUS_RANGE = 20;
const SOFTPLUS_STEPS = 64;
/** log(1 + exp(-d)) for d = k / SOFTPLUS_STEPS, k = 0..SOFTPLUS_RANGE * SOFTPLUS_STEPS (+1). */
const SOFTPLUS_TABLE = Float64Array.from({ length: SOFTPLUS_RANGE * SOFTPLUS_STEPS + 2 }, (_, k) => Math.log1p(Math.exp(-k / SOFTPLUS_STEPS)));

/** log(exp(a) + exp(b)) from a table (error < 1e-4). */
function logAddExp(a: number, b: number): number {
  const hi = a > b ? a : b;
  const t = (hi - (a > b ? b : a)) * SOFTPLUS_STEPS;
  if (!(t < SOFTPLUS_RANGE * SOFTPLUS_STEPS)) return hi;
  const i = t | 0;
  const s = SOFTPLUS_TABLE[i]!;
  return hi + s + (SOFTPLUS_TABLE[i + 1]! - s) * (t - i);
}

export interface LayerOrderInput {
  /** The network's logits, [C][tensorHeight][tensorWidth] from `offset`. */
  logits: Float32Array;
  offset: number;
  tensorWidth: number;
  tensorHeight: number;
  /** Model channel -> canonical class index. */
  classMap: readonly number[];
  /** The region solved: the top-left width x height of the tensor. */
  width: number;
  height: number;
  /** Argmax labels (canonical) of that region (argmax.ts). */
  labels: Uint8Array;
  /** 1 where a pixel is an island of its argmax class (islands.ts): that class is ruled out there. */
  islands: Uint8Array;
}

export interface LayerOrderResult {
  labels: Uint8Array;
  /** Columns relabelled, pixels whose label changed, and of those the ones left unlabelled. */
  columns: number;
  pixels: number;
  unlabelled: number;
}

/** Per column: true when its layers already run in order (background anywhere) and no island is in it. */
function orderedColumns(labels: Uint8Array, islands: Uint8Array, width: number, height: number): Uint8Array {
  const ordered = new Uint8Array(width).fill(1);
  const deepest = new Uint8Array(width);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const l = labels[i]!;
      if (islands[i] === 1) ordered[x] = 0;
      if (l === 0) continue;
      if (l < deepest[x]!) ordered[x] = 0;
      else deepest[x] = l;
    }
  }
  return ordered;
}

/** Maximal runs [start, end) of columns that need relabelling. */
function disorderedRuns(ordered: Uint8Array): [number, number][] {
  const runs: [number, number][] = [];
  for (let x = 0; x < ordered.length; ) {
    if (ordered[x] === 1) {
      x++;
      continue;
    }
    const a = x;
    while (x < ordered.length && ordered[x] === 0) x++;
    runs.push([a, x]);
  }
  return runs;
}

/**
 * The ordered labelling (see the file comment). `labels` is not changed. Only runs of disordered
 * columns are solved (with their ordered neighbours' costs inside the smoothing window), so a good
 * segmentation costs next to nothing.
 */
export function orderWithProbabilities(input: LayerOrderInput): LayerOrderResult {
  const out = Uint8Array.from(input.labels);
  const ordered = orderedColumns(input.labels, input.islands, input.width, input.height);
  const result: LayerOrderResult = { labels: out, columns: 0, pixels: 0, unlabelled: 0 };
  const planeOf = new Int32Array(CLASS_COUNT).fill(-1);
  const plane = input.tensorHeight * input.tensorWidth;
  input.classMap.forEach((canonical, channel) => (planeOf[canonical] = input.offset + channel * plane));
  for (const [a, b] of disorderedRuns(ordered)) solveRun(input, planeOf, a, b, result);
  return result;
}

/**
 * log-sum-exp of the logits (the softmax's log denominator: log p(c) = logit(c) - norm) for columns
 * [ca, cb) of every row, [row][column - ca]: computed here for the few columns a run solves rather than
 * for every pixel of every scan.
 */
function logNormOf(input: LayerOrderInput, ca: number, cb: number): Float64Array {
  const { logits, offset, tensorWidth: tw, tensorHeight, classMap, height: h } = input;
  const plane = tensorHeight * tw;
  const channels = classMap.length;
  const cw = cb - ca;
  const norm = new Float64Array(h * cw);
  for (let y = 0; y < h; y++) {
    for (let x = ca; x < cb; x++) {
      const p = offset + y * tw + x;
      let max = logits[p]!;
      for (let c = 1; c < channels; c++) max = Math.max(max, logits[p + c * plane]!);
      let sum = 0;
      for (let c = 0; c < channels; c++) sum += expNonPositive(logits[p + c * plane]! - max);
      norm[y * cw + x - ca] = max + Math.log(sum);
    }
  }
  return norm;
}

/** Solves columns [a, b) (one run of disordered columns) into `result.labels`. */
function solveRun(input: LayerOrderInput, planeOf: Int32Array, a: number, b: number, result: LayerOrderResult): void {
  const { logits, tensorWidth: tw, width, height: h, labels, islands } = input;
  const r = ORDER_RULES.smoothingRadius;
  const beta = ORDER_RULES.transitionCost;
  const bgPlane = planeOf[0]!;
  // the columns whose costs are read: the run and its smoothing window
  const ca = Math.max(0, a - r);
  const cb = Math.min(width, b + r);
  const cw = cb - ca;
  const w = b - a;
  const cost = new Float64Array(cw);
  const prefix = new Float64Array(cw + 1);
  const smooth = new Float64Array(LAYER_COUNT * w);
  let acc = new Float64Array(LAYER_COUNT * w);
  let nextAcc = new Float64Array(LAYER_COUNT * w);
  // back[(y * w + x) * 8 + k]: the region (0..7) of row y-1 that region k at row y continues from
  const back = new Uint8Array(h * w * LAYER_COUNT);
  const norm = logNormOf(input, ca, cb);

  for (let y = 0; y < h; y++) {
    const row = y * width;
    const src = y * tw;
    for (let k = 0; k < LAYER_COUNT; k++) {
      const p = planeOf[k + 1]!;
      const c = k + 1;
      for (let x = ca; x < cb; x++) {
        const i = row + x;
        const bg = logits[bgPlane + src + x]!;
        // an island's own class is ruled out at its pixels: only background is left there
        const ruledOut = p < 0 || (islands[i] === 1 && labels[i] === c);
        const v = norm[y * cw + x - ca]! - (ruledOut ? bg : logAddExp(logits[p + src + x]!, bg));
        cost[x - ca] = v > COST_CAP ? COST_CAP : v;
      }
      // mean over the columns within r (a box filter along the row)
      for (let x = 0; x < cw; x++) prefix[x + 1] = prefix[x]! + cost[x]!;
      for (let x = a; x < b; x++) {
        const lo = Math.max(ca, x - r) - ca;
        const hi = Math.min(cb, x + r + 1) - ca;
        smooth[k * w + x - a] = (prefix[hi]! - prefix[lo]!) / (hi - lo);
      }
    }
    const brow = y * w * LAYER_COUNT;
    for (let x = 0; x < w; x++) {
      let bestPrev = Infinity;
      let bestPrevRegion = 0;
      for (let k = 0; k < LAYER_COUNT; k++) {
        const j = k * w + x;
        let base = 0; // the first row may be in any region (those above it are empty)
        let from = k;
        if (y > 0) {
          base = acc[j]!;
          // entering region k from an earlier one (regions in between stay empty)
          if (bestPrev + beta < base) {
            base = bestPrev + beta;
            from = bestPrevRegion;
          }
          if (acc[j]! < bestPrev) {
            bestPrev = acc[j]!;
            bestPrevRegion = k;
          }
        }
        nextAcc[j] = base + smooth[j]!;
        back[brow + x * LAYER_COUNT + k] = from;
      }
    }
    const t = acc;
    acc = nextAcc;
    nextAcc = t;
  }

  const logSupport = Math.log(ORDER_RULES.minSupport);
  const out = result.labels;
  for (let x = 0; x < w; x++) {
    const gx = a + x;
    let k = 0;
    for (let j = 1; j < LAYER_COUNT; j++) if (acc[j * w + x]! < acc[k * w + x]!) k = j;
    let changed = 0;
    for (let y = h - 1; y >= 0; y--) {
      const i = y * width + gx;
      const c = k + 1;
      const l = labels[i]!;
      let want = l;
      if (l !== 0 && (l !== c || islands[i] === 1)) {
        // relabelled: region k's layer where the network supports it, otherwise left unlabelled
        const s = y * tw + gx;
        const ruledOut = planeOf[c]! < 0 || (islands[i] === 1 && l === c);
        const lk = ruledOut ? -Infinity : logits[planeOf[c]! + s]!;
        want = lk >= logits[bgPlane + s]! && lk - norm[y * cw + x + a - ca]! >= logSupport ? c : 0;
        if (want === 0) result.unlabelled++;
      }
      if (want !== l) {
        out[i] = want;
        changed++;
      }
      k = back[(y * w + x) * LAYER_COUNT + k]!;
    }
    if (changed > 0) {
      result.columns++;
      result.pixels += changed;
    }
  }
}
