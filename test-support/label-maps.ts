/**
 * Synthetic label maps for tests: row-major Uint8Array of canonical class indices (0 background,
 * 1..8 NFL..Choroid), built layer by layer so a test knows every boundary and thickness exactly.
 */
import { LAYERS } from '../src-shared/domain/layers';

/**
 * Per column, each layer 1..8 in order gets `thick(x, c)` rows starting at row `top` (rows past the
 * bottom are dropped); everything else is background.
 */
export function layeredLabels(width: number, height: number, top: number, thick: (x: number, c: number) => number): Uint8Array {
  const labels = new Uint8Array(width * height);
  for (let x = 0; x < width; x++) {
    let y = top;
    for (const layer of LAYERS) {
      const t = thick(x, layer.index);
      for (let k = 0; k < t && y < height; k++, y++) labels[y * width + x] = layer.index;
    }
  }
  return labels;
}

/**
 * A macular B-scan's label map with a foveal pit at `pitColumn`: the inner layers (NFL..OPL) thin at
 * the pit, the ONL thickens, the surface undulates gently (the scan behind the report samples).
 */
export function fovealPitLabels(width: number, height: number, pitColumn = Math.round(width * 0.52)): { labels: Uint8Array; pitColumn: number } {
  const base = [14, 16, 13, 9, 24, 6, 9, 30];
  const labels = new Uint8Array(width * height);
  for (let x = 0; x < width; x++) {
    const d = (x - pitColumn) / (width * 0.08);
    const pit = Math.exp(-d * d);
    let y = Math.round(height * 0.3 + 8 * Math.sin(x / 60) + 10 * pit);
    for (let li = 0; li < LAYERS.length; li++) {
      let t = base[li]! * (1 + 0.1 * Math.sin(x / 45 + li));
      if (li <= 3) t *= 1 - 0.85 * pit; // inner layers thin at the pit
      if (li === 4) t *= 1 + 0.6 * pit;
      const rows = Math.max(0, Math.round(t));
      for (let k = 0; k < rows && y < height; k++, y++) labels[y * width + x] = LAYERS[li]!.index;
    }
  }
  return { labels, pitColumn };
}
