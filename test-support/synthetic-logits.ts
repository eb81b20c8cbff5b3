/**
 * Network outputs for tests with known answers: logits laid out [C][H][W] (canonical class order, so
 * classMap = identity) built from a label map, with the probability of each pixel's own class chosen,
 * and optionally a second class sharing the rest.
 */
import { CLASS_COUNT } from '../src-shared/domain/layers';

export const IDENTITY_CLASS_MAP: readonly number[] = Array.from({ length: CLASS_COUNT }, (_, i) => i);

export interface PixelBelief {
  /** Probability of the pixel's own label (default 0.9). */
  p?: number;
  /** A second class and its probability (taken from the rest; the remainder spreads evenly). */
  second?: { c: number; p: number };
}

/** Logits whose softmax gives `belief(i, label)` at each pixel i (the rest spread over the other classes). */
export function logitsFor(labels: Uint8Array, width: number, height: number, belief: (i: number, label: number) => PixelBelief = () => ({})): Float32Array {
  const n = width * height;
  const out = new Float32Array(CLASS_COUNT * n);
  const probs = new Float64Array(CLASS_COUNT);
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    const b = belief(i, l);
    const p = b.p ?? 0.9;
    const others = CLASS_COUNT - 1 - (b.second ? 1 : 0);
    const rest = (1 - p - (b.second?.p ?? 0)) / others;
    for (let c = 0; c < CLASS_COUNT; c++) probs[c] = rest;
    if (b.second) probs[b.second.c] = b.second.p;
    probs[l] = p;
    for (let c = 0; c < CLASS_COUNT; c++) out[c * n + i] = Math.log(Math.max(probs[c]!, 1e-9));
  }
  return out;
}
