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
  const max = new Float32Array(n);
  const sum = new Float32Array(n);
  // sum of exp(logit - max) * (logit - max), for the entropy
  const moment = new Float32Array(n);
  // plane by plane (sequential memory access): running max with its class, then the softmax denominator
  for (let c = 0; c < channels; c++) {
    const base = offset + c * plane;
    for (let y = 0, o = 0; y < outHeight; y++) {
      let p = base + y * width;
      for (let x = 0; x < outWidth; x++, o++, p++) {
        const v = logits[p]!;
        if (c === 0 || v > max[o]!) {
          max[o] = v;
          labels[o] = c;
        }
      }
    }
  }
  const table = EXP_TABLE;
  for (let c = 0; c < channels; c++) {
    const base = offset + c * plane;
    for (let y = 0, o = 0; y < outHeight; y++) {
      let p = base + y * width;
      for (let x = 0; x < outWidth; x++, o++, p++) {
        // exp(d) for d <= 0 from a table with linear interpolation (relative error < 1e-4); 0 below -EXP_RANGE
        const t = (max[o]! - logits[p]!) * EXP_STEPS;
        if (t < EXP_LIMIT) {
          const i = t | 0;
          const a = table[i]!;
          const e = a + (table[i + 1]! - a) * (t - i);
          sum[o] = sum[o]! + e;
          moment[o] = moment[o]! - e * (t / EXP_STEPS);
        }
      }
    }
  }
  const lut = Uint8Array.from(classMap);
  const logNorm = new Float32Array(n);
  const entropy = moment; // reused in place
  for (let o = 0; o < n; o++) {
    labels[o] = lut[labels[o]!]!;
    const s = sum[o]!;
    const logS = Math.log(s);
    logNorm[o] = max[o]! + logS;
    // H = -sum p log p with p = e / s and log p = (logit - max) - log s
    entropy[o] = Math.max(0, logS - moment[o]! / s);
    sum[o] = 1 / s;
  }
  return { labels, confidence: sum, logNorm, entropy };
}

/**
 * The argmax labels alone (canonical indices), without the softmax: what the flip check compares, at a
 * fraction of the memory of argmaxLogits (one byte and one float per pixel while it runs).
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
  const labels = new Uint8Array(outHeight * outWidth);
  const max = new Float32Array(outHeight * outWidth);
  for (let c = 0; c < classMap.length; c++) {
    const base = offset + c * plane;
    for (let y = 0, o = 0; y < outHeight; y++) {
      let p = base + y * width;
      for (let x = 0; x < outWidth; x++, o++, p++) {
        const v = logits[p]!;
        if (c === 0 || v > max[o]!) {
          max[o] = v;
          labels[o] = c;
        }
      }
    }
  }
  const lut = Uint8Array.from(classMap);
  for (let o = 0; o < labels.length; o++) labels[o] = lut[labels[o]!]!;
  return labels;
}
