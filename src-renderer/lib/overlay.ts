import { CLASS_COUNT, LAYERS, hexToRgb } from '../../src-shared/domain/layers';

/** A decoded label map: one canonical class index (0-8) per pixel. Plain data, never reactive. */
export interface LabelMap {
  width: number;
  height: number;
  labels: Uint8Array;
}

/** Decodes a label-map PNG (8-bit, pixel = class index) once; reads the red channel of the decoded RGBA. */
export async function decodeLabelMapPng(base64: string): Promise<LabelMap> {
  const img = new Image();
  img.src = `data:image/png;base64,${base64}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('No 2D canvas');
  ctx.drawImage(img, 0, 0);
  const rgba = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const labels = new Uint8Array(canvas.width * canvas.height);
  for (let i = 0; i < labels.length; i++) labels[i] = rgba[i * 4] ?? 0;
  return { width: canvas.width, height: canvas.height, labels };
}

export type OverlayMode = 'fill' | 'boundary';

const COLOURS: readonly [number, number, number][] = [[0, 0, 0], ...LAYERS.map((l) => hexToRgb(l.color))];

/**
 * Paints the overlay into `out` (same size as the map): visible classes in their canonical colour, either
 * filled or as their top and bottom boundary lines; everything else transparent. Opacity is applied by
 * the caller (canvas globalAlpha / CSS), so changing it needs no repaint.
 */
export function paintOverlay(map: LabelMap, visible: readonly boolean[], mode: OverlayMode, out: ImageData): void {
  const { width, height, labels } = map;
  const px = out.data;
  px.fill(0);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const c = labels[row + x] ?? 0;
      if (c === 0 || c >= CLASS_COUNT || !visible[c]) continue;
      if (mode === 'boundary' && !nearEdge(labels, width, height, x, y, c)) continue;
      const [r, g, b] = COLOURS[c] as [number, number, number];
      const o = (row + x) * 4;
      px[o] = r;
      px[o + 1] = g;
      px[o + 2] = b;
      px[o + 3] = 255;
    }
  }
}

/**
 * Lines mode draws each layer's top and bottom edge LINE_PX pixels thick (so two layers meeting show a
 * line of each colour): one-pixel lines all but vanish once a 750-px B-scan is shown smaller than 1:1.
 */
export const LINE_PX = 2;

/** Whether the pixel of class `c` at (x, y) lies within LINE_PX rows of its layer's edge above or below. */
function nearEdge(labels: Uint8Array, width: number, height: number, x: number, y: number, c: number): boolean {
  for (let d = 1; d <= LINE_PX; d++) {
    if (y - d < 0 || labels[(y - d) * width + x] !== c) return true;
    if (y + d >= height || labels[(y + d) * width + x] !== c) return true;
  }
  return false;
}

/** The class under a pixel, or 0. */
export function classAt(map: LabelMap, x: number, y: number): number {
  if (x < 0 || y < 0 || x >= map.width || y >= map.height) return 0;
  return map.labels[y * map.width + x] ?? 0;
}

/** Whether a pixel takes part in the difference view: labelled in either map and a visible class in either. */
function counted(a: number, b: number, visible: readonly boolean[]): boolean {
  return (a !== 0 || b !== 0) && (Boolean(visible[a]) || Boolean(visible[b]));
}

/**
 * Difference view: pixels where the model and the manual (ground-truth) map disagree, coloured with the
 * manual label's colour so the reader sees what the model missed; everything else transparent.
 * Only visible classes (in either map) count, as in `differenceShare`.
 */
export function paintDifference(model: LabelMap, manual: LabelMap, visible: readonly boolean[], out: ImageData): void {
  const px = out.data;
  px.fill(0);
  const n = Math.min(model.labels.length, manual.labels.length);
  for (let i = 0; i < n; i++) {
    const a = model.labels[i] ?? 0;
    const b = manual.labels[i] ?? 0;
    if (a === b || !counted(a, b, visible)) continue;
    const [r, g, bl] = b === 0 ? [255, 255, 255] : (COLOURS[b] as [number, number, number]);
    const o = i * 4;
    px[o] = r;
    px[o + 1] = g;
    px[o + 2] = bl;
    px[o + 3] = 255;
  }
}

/** The share of labelled pixels (of visible classes) where the model and the manual map disagree; 0 when none. */
export function differenceShare(model: LabelMap, manual: LabelMap, visible: readonly boolean[]): number {
  let labelled = 0;
  let differing = 0;
  const n = Math.min(model.labels.length, manual.labels.length);
  for (let i = 0; i < n; i++) {
    const a = model.labels[i] ?? 0;
    const b = manual.labels[i] ?? 0;
    if (!counted(a, b, visible)) continue;
    labelled++;
    if (a !== b) differing++;
  }
  return labelled === 0 ? 0 : differing / labelled;
}
