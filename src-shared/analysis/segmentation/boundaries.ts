/**
 * Stage 3: boundaries and thickness in pixels. Per column, where each layer starts and ends, and the
 * total retinal thickness (top of the uppermost retinal layer to the bottom of the lowest).
 */
import { CLASS_COUNT, RETINAL_LAYERS } from '../../domain/layers';

/** Class indices of the retinal layers (NFL..RPE), read from the layer table. */
const RETINAL_INDICES: readonly number[] = RETINAL_LAYERS.map((l) => l.index);

export interface LayerBoundaries {
  /** Per canonical class 1..8 (index 0 unused): first row of the layer per column, -1 where absent. */
  top: Int32Array[];
  /** Per class: one past the last row of the layer per column, -1 where absent. */
  bottom: Int32Array[];
}

/**
 * Upper and lower boundary of each layer per column: `top` is the first row holding the class and
 * `bottom` one past the last (so thickness = bottom - top after order repair).
 */
export function layerBoundaries(labels: Uint8Array, width: number, height: number): LayerBoundaries {
  const top: Int32Array[] = [];
  const bottom: Int32Array[] = [];
  for (let c = 0; c < CLASS_COUNT; c++) {
    top.push(new Int32Array(width).fill(-1));
    bottom.push(new Int32Array(width).fill(-1));
  }
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const c = labels[row + x]!;
      if (c === 0) continue;
      const t = top[c]!;
      if (t[x] === -1) t[x] = y;
      bottom[c]![x] = y + 1;
    }
  }
  return { top, bottom };
}

/** Thickness in pixels per column of layer `c` (null where absent). Assumes order-repaired labels. */
export function layerThicknessPx(b: LayerBoundaries, c: number): (number | null)[] {
  const t = b.top[c]!;
  const bo = b.bottom[c]!;
  return Array.from(t, (v, x) => (v < 0 ? null : bo[x]! - v));
}

/** Total retinal thickness per column in pixels: top of the uppermost retinal layer (NFL where present)
 * to the bottom of the lowest (RPE where present); null where no retinal layer is present. */
export function totalThicknessPx(b: LayerBoundaries, width: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let x = 0; x < width; x++) {
    let top = -1;
    let bottom = -1;
    for (const c of RETINAL_INDICES) {
      const t = b.top[c]![x]!;
      if (t < 0) continue;
      if (top < 0 || t < top) top = t;
      bottom = Math.max(bottom, b.bottom[c]![x]!);
    }
    out.push(top < 0 ? null : bottom - top);
  }
  return out;
}
