import { INFERENCE_MAX_PIXELS } from '../../../src-shared/domain/limits';
import type { ModelCard } from '../models/registry';

export interface Prepared {
  /** [1, 1, height, width] normalised input. */
  data: Float32Array;
  /** Tensor size. */
  height: number;
  width: number;
  /** How to get back to the image: 'crop' (padding at bottom/right) or 'resize' (nearest neighbour). */
  mapBack: 'crop' | 'resize';
}

/**
 * The tensor size a card asks for, for an image of this size: a fixed size, or padded to a multiple.
 * Padding runs the network at the image's own resolution, which costs about 250 bytes of memory per
 * pixel; an image over INFERENCE_MAX_PIXELS is therefore resized down (aspect kept, to a multiple) to at
 * most that many pixels, and its labels are resized back (mapBack 'resize'), so peak memory stays bounded.
 */
export function tensorSize(card: ModelCard, width: number, height: number): { width: number; height: number } {
  const p = card.input.sizePolicy;
  if (p.kind === 'resize') return { width: p.width, height: p.height };
  const f = width * height > INFERENCE_MAX_PIXELS ? Math.sqrt(INFERENCE_MAX_PIXELS / (width * height)) : 1;
  const fit = (side: number) => (f === 1 ? Math.ceil(side / p.multiple) : Math.max(1, Math.floor((side * f) / p.multiple))) * p.multiple;
  return { width: fit(width), height: fit(height) };
}

/** True when the network runs on a smaller copy of the image than the image itself (see tensorSize). */
export function isDownscaled(card: ModelCard, prepared: Pick<Prepared, 'width' | 'height'>, width: number, height: number): boolean {
  return card.input.sizePolicy.kind === 'pad' && (prepared.width < width || prepared.height < height);
}

/**
 * Grey 8-bit image -> model input per the card: size policy (pad bottom/right with zeros, or bilinear
 * resize to a fixed size), then normalisation ('scale': v * scale + offset; 'column-l2': each column
 * divided by its L2 norm, as the original Keras pipeline did).
 */
export function preprocess(card: ModelCard, grey: Uint8Array, width: number, height: number): Prepared {
  const size = tensorSize(card, width, height);
  const tw = size.width;
  const th = size.height;
  const data = new Float32Array(tw * th);
  const resize = card.input.sizePolicy.kind === 'resize' || tw < width || th < height;
  if (!resize) {
    for (let y = 0; y < height; y++) {
      const src = y * width;
      const dst = y * tw;
      for (let x = 0; x < width; x++) data[dst + x] = grey[src + x]!;
    }
  } else {
    const sx = width / tw;
    const sy = height / th;
    for (let y = 0; y < th; y++) {
      const fy = Math.min(height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
      const y0 = Math.floor(fy);
      const y1 = Math.min(height - 1, y0 + 1);
      const wy = fy - y0;
      for (let x = 0; x < tw; x++) {
        const fx = Math.min(width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
        const x0 = Math.floor(fx);
        const x1 = Math.min(width - 1, x0 + 1);
        const wx = fx - x0;
        const a = grey[y0 * width + x0]! * (1 - wx) + grey[y0 * width + x1]! * wx;
        const b = grey[y1 * width + x0]! * (1 - wx) + grey[y1 * width + x1]! * wx;
        data[y * tw + x] = a * (1 - wy) + b * wy;
      }
    }
  }
  const norm = card.normalisation;
  if (norm.kind === 'scale') {
    const s = norm.scale;
    const o = norm.offset;
    // padding stays at the normalised value of black (offset)
    for (let i = 0; i < data.length; i++) data[i] = data[i]! * s + o;
  } else {
    const cols = resize ? tw : width;
    for (let x = 0; x < cols; x++) {
      let ss = 0;
      for (let y = 0; y < th; y++) ss += data[y * tw + x]! ** 2;
      const k = norm.scale / (Math.sqrt(ss) + norm.epsilon);
      for (let y = 0; y < th; y++) data[y * tw + x] = data[y * tw + x]! * k;
    }
  }
  return { data, height: th, width: tw, mapBack: resize ? 'resize' : 'crop' };
}

/** Nearest-neighbour resize of a label map / confidence map back to the image size. */
export function resizeNearest<T extends Uint8Array | Float32Array>(src: T, sw: number, sh: number, dw: number, dh: number): T {
  const out = new (src.constructor as { new (n: number): T })(dw * dh);
  for (let y = 0; y < dh; y++) {
    const sy = Math.min(sh - 1, Math.floor(((y + 0.5) * sh) / dh));
    for (let x = 0; x < dw; x++) {
      const sx = Math.min(sw - 1, Math.floor(((x + 0.5) * sw) / dw));
      out[y * dw + x] = src[sy * sw + sx]!;
    }
  }
  return out;
}

/**
 * The prepared input of the image mirrored left-right (for the network's flip check): the image's own
 * columns reversed in each row, the padding staying on the right, so the network sees the mirrored
 * scan exactly as it would see that scan. `imageWidth`: the image's width in the tensor.
 */
export function mirrorInput(prepared: Prepared, imageWidth: number): Float32Array {
  const { width: tw, height: th, data } = prepared;
  const out = Float32Array.from(data);
  for (let y = 0; y < th; y++) {
    const row = y * tw;
    for (let x = 0; x < imageWidth; x++) out[row + x] = data[row + imageWidth - 1 - x]!;
  }
  return out;
}

/** The image's width in the tensor: itself when padded, the tensor's when resized. */
export function imageWidthInTensor(prepared: Pick<Prepared, 'width' | 'mapBack'>, imageWidth: number): number {
  return prepared.mapBack === 'crop' ? imageWidth : prepared.width;
}
