/**
 * The network's own doubt about one scan, measured inside the retina band (vitreous and sclera are easy
 * and would dilute it): the mean entropy of its softmax, and how much its answer changes when the image
 * is mirrored left-right (a network that has learnt the anatomy gives the mirror of its answer; one
 * that is guessing does not).
 */
import { CLASS_COUNT, RETINA_FIRST, RETINA_LAST } from '../../domain/layers';

/** Per column, the retina band [top, bottom): first row of any retinal layer to one past the last; -1 where none. */
export interface RetinaBand {
  top: Int32Array;
  bottom: Int32Array;
}

export function retinaBand(labels: Uint8Array, width: number, height: number): RetinaBand {
  const top = new Int32Array(width).fill(-1);
  const bottom = new Int32Array(width).fill(-1);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const l = labels[i]!;
      if (l < RETINA_FIRST || l > RETINA_LAST) continue;
      if (top[x] === -1) top[x] = y;
      bottom[x] = y + 1;
    }
  }
  return { top, bottom };
}

/** Number of pixels inside the band. */
function bandPixels(band: RetinaBand): number {
  let n = 0;
  for (let x = 0; x < band.top.length; x++) if (band.top[x]! >= 0) n += band.bottom[x]! - band.top[x]!;
  return n;
}

/**
 * Mean softmax entropy inside the band, normalised to 0..1 by log(classes) (1 = the network has no
 * preference at all). null when there is no band.
 */
export function bandEntropy(entropy: Float32Array, band: RetinaBand, width: number): number | null {
  let sum = 0;
  let n = 0;
  for (let x = 0; x < width; x++) {
    const t = band.top[x]!;
    if (t < 0) continue;
    for (let i = t * width + x, end = band.bottom[x]! * width; i < end; i += width) {
      sum += entropy[i]!;
      n++;
    }
  }
  return n === 0 ? null : sum / n / Math.log(CLASS_COUNT);
}

/**
 * Share of band pixels whose label differs between the labels and the labels of the mirrored image
 * mirrored back (`flipped` is the argmax of the network's output for the left-right mirrored image, as
 * it came out, i.e. still mirrored). null when there is no band.
 */
export function flipDisagreement(labels: Uint8Array, flipped: Uint8Array, band: RetinaBand, width: number): number | null {
  const n = bandPixels(band);
  if (n === 0) return null;
  let differ = 0;
  for (let x = 0; x < width; x++) {
    const t = band.top[x]!;
    if (t < 0) continue;
    const mx = width - 1 - x;
    for (let y = t; y < band.bottom[x]!; y++) if (labels[y * width + x] !== flipped[y * width + mx]) differ++;
  }
  return differ / n;
}

/** Share of band pixels left unlabelled (background inside the retina: holes, cysts, fluid, doubt). */
export function bandGapShare(labels: Uint8Array, band: RetinaBand, width: number): number {
  const n = bandPixels(band);
  if (n === 0) return 0;
  let gaps = 0;
  for (let x = 0; x < width; x++) {
    const t = band.top[x]!;
    if (t < 0) continue;
    for (let y = t; y < band.bottom[x]!; y++) if (labels[y * width + x] === 0) gaps++;
  }
  return gaps / n;
}
