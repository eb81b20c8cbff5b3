import { AppError } from '../../../src-shared/contract';
import { LAYERS } from '../../../src-shared/domain/layers';

/** The top row of one layer per column (null where the layer is absent in that column). */
export interface LayerBoundary {
  index: number;
  tops: (number | null)[];
}

/**
 * Derives boundary lines from a label map: for every layer (NFL..Choroid) the first row, top down,
 * that carries its class index, per column. Row-major `width x height` map of canonical indices.
 */
export function layerTopBoundaries(labelMap: Uint8Array, width: number, height: number): LayerBoundary[] {
  if (labelMap.length < width * height) {
    // a stored label map that does not cover its scan: corrupt or from another scan
    throw new AppError('BAD_INPUT', `The label map has ${labelMap.length} pixels; the scan is ${width}x${height} (${width * height}).`, {
      pixels: labelMap.length,
      width,
      height,
    });
  }
  const tops: (number | null)[][] = LAYERS.map(() => new Array<number | null>(width).fill(null));
  for (let x = 0; x < width; x++) {
    let remaining = LAYERS.length;
    for (let y = 0; y < height && remaining > 0; y++) {
      const c = labelMap[y * width + x] ?? 0;
      if (c < 1 || c > LAYERS.length) continue;
      const col = tops[c - 1]!;
      if (col[x] === null) {
        col[x] = y;
        remaining--;
      }
    }
  }
  return LAYERS.map((l, i) => ({ index: l.index, tops: tops[i]! }));
}

/**
 * Turns a per-column series into SVG path data, breaking the line where values are missing.
 * `step` subsamples columns so very wide scans stay light; `mapX`/`mapY` go to page units.
 */
export function seriesPath(
  values: readonly (number | null)[],
  mapX: (column: number) => number,
  mapY: (value: number) => number,
  step = 1,
): string {
  const parts: string[] = [];
  let open = false;
  for (let x = 0; x < values.length; x += step) {
    const v = values[x];
    if (v === null || v === undefined || !Number.isFinite(v)) {
      open = false;
      continue;
    }
    parts.push(`${open ? 'L' : 'M'}${mapX(x).toFixed(2)} ${mapY(v).toFixed(2)}`);
    open = true;
  }
  return parts.join('');
}
