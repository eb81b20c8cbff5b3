import { boundaryRows } from '../../src-shared/analysis/correction-checks';
import { layerBoundaries } from '../../src-shared/analysis/segmentation/boundaries';
import type { LabelMap } from './overlay';

/** The highlight of the boundary being corrected: white, so it stands out from every layer colour. */
const HIGHLIGHT: readonly [number, number, number] = [255, 255, 255];

/**
 * Paints boundary `b` of `map` into `out` (already holding the overlay) as a line two pixels high, the row
 * just above the boundary and the boundary row, so the clinician sees which line a stroke will move
 * before drawing. Returns the columns where the boundary exists (0 in an empty map).
 */
export function paintBoundaryHighlight(map: LabelMap, b: number, out: ImageData): number {
  const { width, height } = map;
  const rows = boundaryRows(layerBoundaries(map.labels, width, height), width)[b];
  if (!rows) return 0;
  const px = out.data;
  let columns = 0;
  for (let x = 0; x < width; x++) {
    const r = rows[x]!;
    if (r < 0) continue;
    columns++;
    for (const y of [r - 1, r]) {
      if (y < 0 || y >= height) continue;
      const o = (y * width + x) * 4;
      px[o] = HIGHLIGHT[0];
      px[o + 1] = HIGHLIGHT[1];
      px[o + 2] = HIGHLIGHT[2];
      px[o + 3] = 255;
    }
  }
  return columns;
}

/** The grey levels (0-255, the red channel: B-scans are grey) of a decoded image, one byte per pixel. */
export function greyLevels(image: HTMLImageElement): Uint8Array {
  const canvas = document.createElement('canvas');
  canvas.width = image.naturalWidth;
  canvas.height = image.naturalHeight;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('No 2D canvas');
  ctx.drawImage(image, 0, 0);
  const rgba = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const grey = new Uint8Array(canvas.width * canvas.height);
  for (let i = 0; i < grey.length; i++) grey[i] = rgba[i * 4] ?? 0;
  return grey;
}
