/**
 * Stage 1 of the post-network analysis: from the network's logits to a label map of canonical class
 * indices and a per-pixel confidence (the softmax maximum).
 */

const EXP_RANGE = 20;
const EXP_STEPS = 64;
const EXP_LIMIT = EXP_RANGE * EXP_STEPS;
/** exp(-k / EXP_STEPS) for k = 0..EXP_LIMIT (+1 for interpolation). */
const EXP_TABLE = Float64Array.from({ length: EXP_LIMIT + 2 }, (_, k) => Math.exp(-k / EXP_STEPS));

export interface ArgmaxResult {
  labels: Uint8Array;
  /** Softmax maximum per pixel (0..1). */
  confidence: Float32Array;
  /** log of the softmax denominator per pixel (log-sum-exp of the logits): log p(c) = logit(c) - logNorm. */
  logNorm: Float32Array;
  /** Shannon entropy of the softmax per pixel in nats (0 = certain, log(classes) = uniform). */
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
  const labels = new Uint8Array(n);
  const confidence = new Float32Array(n);
  const logNorm = new Float32Array(n);
  const entropy = new Float32Array(n);
  const lut = Uint8Array.from(classMap);
  const table = EXP_TABLE;
  // One pass, pixel by pixel, everything in locals: the 9 class planes are read as 9 sequential streams
  // and each output is written once. (Plane by plane with running max/sum arrays read and wrote every
  // output 18 times and took ~4x as long: scripts/bench/segment.bench.ts, stage "argmax".)
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
      labels[o] = lut[best]!;
      const logS = Math.log(s);
      logNorm[o] = max + logS;
      // H = -sum p log p with p = e / s and log p = d - log s
      entropy[o] = Math.max(0, logS + moment / (EXP_STEPS * s));
      confidence[o] = 1 / s;
    }
  }
  return { labels, confidence, logNorm, entropy };
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
  const plane = height * width;
  const channels = classMap.length;
  const labels = new Uint8Array(outHeight * outWidth);
  const lut = Uint8Array.from(classMap);
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
      labels[o] = lut[best]!;
    }
  }
  return labels;
}
