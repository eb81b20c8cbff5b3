/**
 * Stage 1 of the post-network analysis: from the network's logits to a label map of canonical class
 * indices and a per-pixel confidence (the softmax maximum).
 */

const EXP_RANGE = 20;
const EXP_STEPS = 64;
const EXP_LIMIT = EXP_RANGE * EXP_STEPS;
/** exp(-k / EXP_STEPS) for k = 0..EXP_LIMIT (+1 for interpolation). */
const EXP_TABLE = Float64Array.from({ length: EXP_LIMIT + 2 }, (_, k) => Math.exp(-k / EXP_STEPS));

/** exp(d) for d <= 0 from the table (relative error < 1e-4); 0 below -EXP_RANGE. */
export function expNonPositive(d: number): number {
  const t = -d * EXP_STEPS;
  if (!(t < EXP_LIMIT)) return 0;
  const i = t | 0;
  const a = EXP_TABLE[i]!;
  return a + (EXP_TABLE[i + 1]! - a) * (t - i);
}

export interface ArgmaxResult {
  labels: Uint8Array;
  /**
   * Softmax maximum per pixel (0..1), computed inside the tissue band only (per column, the first to the
   * last pixel whose argmax is not background); 0 outside it, where no measure reads it: the retinal
   * pixels that quality.ts retinalConfidence averages all lie inside, before and after order repair
   * (which only relabels tissue pixels) or a surface decode (which keeps background where the argmax is).
   */
  confidence: Float32Array;
  /** Shannon entropy of the softmax per pixel in nats (0 = certain, log(classes) = uniform); inside the tissue band only, 0 outside. */
  entropy: Float32Array;
}

/**
 * Argmax over logits of one image laid out [C, H, W] (C = classMap.length), with the model's class
 * index c mapped to the canonical index classMap[c]. `height`/`width` is the tensor's size; the
 * result is cropped to `outHeight` x `outWidth` (the top-left region, i.e. the image before padding).
 */
export function argmaxLogits(
  logits: Float32Array,
  classMap: readonly number[],
  height: number,
  width: number,
  outHeight = height,
  outWidth = width,
  offset = 0,
): ArgmaxResult {
  const channels = classMap.length;
  const plane = height * width;
  const n = outHeight * outWidth;
  const winner = argmaxChannels(logits, channels, plane, width, outHeight, outWidth, offset);
  const labels = toCanonical(winner, classMap);
  // the tissue band per column: the softmax is needed only there, and vitreous and sclera are most of
  // the image (one pass over the labels costs less than the exponentials it saves)
  const top = new Int32Array(outWidth).fill(outHeight);
  const bottom = new Int32Array(outWidth);
  for (let y = 0, o = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++, o++) {
      if (labels[o] === 0) continue;
      if (y < top[x]!) top[x] = y;
      bottom[x] = y + 1;
    }
  }
  const confidence = new Float32Array(n);
  const entropy = new Float32Array(n);
  const table = EXP_TABLE;
  // row by row (sequential memory), pixel by pixel within the band, everything in locals
  for (let y = 0, o = 0; y < outHeight; y++) {
    const row = offset + y * width;
    for (let x = 0; x < outWidth; x++, o++) {
      if (y < top[x]! || y >= bottom[x]!) continue;
      const p = row + x;
      const max = logits[p + winner[o]! * plane]!;
      // softmax denominator s = sum exp(d) and sum exp(d) * (-d), d = logit - max <= 0, from a table with
      // linear interpolation (relative error < 1e-4); terms below exp(-EXP_RANGE) are dropped
      let s = 0;
      let moment = 0;
      for (let c = 0, q = p; c < channels; c++, q += plane) {
        const t = (max - logits[q]!) * EXP_STEPS;
        if (t < EXP_LIMIT) {
          const i = t | 0;
          const a = table[i]!;
          const e = a + (table[i + 1]! - a) * (t - i);
          s += e;
          moment += e * t;
        }
      }
      // H = -sum p log p with p = e / s and log p = d - log s
      entropy[o] = Math.max(0, Math.log(s) + moment / (EXP_STEPS * s));
      confidence[o] = 1 / s;
    }
  }
  return { labels, confidence, entropy };
}

/**
 * The argmax labels alone (canonical indices), without the softmax: what the flip check compares, at a
 * fraction of the memory of argmaxLogits (one byte per pixel).
 */
export function argmaxLabels(
  logits: Float32Array,
  classMap: readonly number[],
  height: number,
  width: number,
  outHeight = height,
  outWidth = width,
  offset = 0,
): Uint8Array {
  return toCanonical(argmaxChannels(logits, classMap.length, height * width, width, outHeight, outWidth, offset), classMap);
}

/** Per pixel, the model channel with the largest logit (the first of equals), pixel by pixel with the 9 planes read as sequential streams. */
function argmaxChannels(logits: Float32Array, channels: number, plane: number, width: number, outHeight: number, outWidth: number, offset: number): Uint8Array {
  const winner = new Uint8Array(outHeight * outWidth);
  for (let y = 0, o = 0; y < outHeight; y++) {
    const row = offset + y * width;
    for (let x = 0; x < outWidth; x++, o++) {
      const p = row + x;
      let best = 0;
      let max = logits[p]!;
      for (let c = 1, q = p + plane; c < channels; c++, q += plane) {
        const v = logits[q]!;
        if (v > max) {
          max = v;
          best = c;
        }
      }
      winner[o] = best;
    }
  }
  return winner;
}

function toCanonical(winner: Uint8Array, classMap: readonly number[]): Uint8Array {
  const lut = Uint8Array.from(classMap);
  const labels = new Uint8Array(winner.length);
  for (let o = 0; o < winner.length; o++) labels[o] = lut[winner[o]!]!;
  return labels;
}
