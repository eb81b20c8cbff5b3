/**
 * The orientation marker that Zeiss Cirrus burns into the bottom-left corner of a B-scan export (OCTID
 * is one): a square outline standing for the scanned area on the fundus, the scan line with an arrow
 * inside it, and the letters S (above), I (below), N and T (left and right of the box). Which side N
 * is on tells which side of the B-scan is nasal; domain/laterality.ts turns that into the eye.
 *
 * Found without reading the whole image: the box by its bright outline in the corner, then only the
 * two side letters, told apart by their shape. N has two full-height strokes at its edges, T a bar on
 * top and one stroke in the middle, so their column profiles barely correlate.
 */
import type { ImageSide } from '../../domain/laterality';
import { round } from '../numbers';

export interface MarkerReading {
  /** The image side the letter N (nasal) is on. */
  nasalSide: ImageSide;
  /** 0..1 from how clearly the two side letters read as N and T. */
  confidence: number;
  /** The marker with its letters, in image pixels: what to black out to hide it. */
  region: { x: number; y: number; width: number; height: number };
}

/** The corner searched: the left 35 % of the width and the bottom 45 % of the height. */
const CORNER_WIDTH = 0.35;
const CORNER_HEIGHT = 0.45;
/** Box edges are at least this long: 6 % of the image height (the Cirrus box is about 15 %), and 20 px. */
const MIN_SIDE_SHARE = 0.06;
const MIN_SIDE_PX = 20;
/** Share of an edge's pixels that must be bright. */
const EDGE_COVERAGE = 0.85;
/** Below this letter evidence (difference of correlations, summed over both sides) the marker is unread. */
const MIN_EVIDENCE = 0.6;

/** Glyph grid the letters are compared on. */
const GLYPH_W = 5;
const GLYPH_H = 7;
const TEMPLATES = {
  N: ['#...#', '##..#', '##..#', '#.#.#', '#..##', '#..##', '#...#'],
  T: ['#####', '..#..', '..#..', '..#..', '..#..', '..#..', '..#..'],
} as const;
const TEMPLATE_VALUES = {
  N: TEMPLATES.N.join('').split('').map((c) => (c === '#' ? 1 : 0)),
  T: TEMPLATES.T.join('').split('').map((c) => (c === '#' ? 1 : 0)),
};

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/**
 * Reads the marker: which side of the image is nasal, or null when there is no marker (a Spectralis
 * or Optovue image) or its letters cannot be told apart (never a guess).
 */
export function readOrientationMarker(grey: Uint8Array, width: number, height: number): MarkerReading | null {
  if (width < 40 || height < 40 || grey.length < width * height) return null;
  const x1 = Math.round(width * CORNER_WIDTH);
  const y0 = Math.round(height * (1 - CORNER_HEIGHT));
  const threshold = brightThreshold(grey, width, 0, x1, y0, height);
  const bright = (x: number, y: number) => grey[y * width + x]! >= threshold;
  const box = findBox(bright, 0, x1, y0, height, Math.max(MIN_SIDE_PX, Math.round(height * MIN_SIDE_SHARE)));
  if (!box) return null;
  const side = box.right - box.left;
  const cy = (box.top + box.bottom) / 2;
  const rows: [number, number] = [Math.max(0, Math.round(cy - 0.12 * side)), Math.min(height, Math.round(cy + 0.12 * side) + 1)];
  const reach = Math.round(0.22 * side);
  const left = glyphEvidence(grey, width, threshold, [Math.max(0, box.left - reach), box.left - 2], rows);
  const right = glyphEvidence(grey, width, threshold, [box.right + 3, Math.min(width, box.right + reach + 1)], rows);
  // evidence > 0: N reads on the left and/or T on the right
  const dl = left ?? 0;
  const dr = right ?? 0;
  // both letters read as the same one: a different marker, not an answer
  if (Math.sign(dl) === Math.sign(dr) && Math.abs(dl) > 0.3 && Math.abs(dr) > 0.3) return null;
  const evidence = dl - dr;
  if (Math.abs(evidence) < MIN_EVIDENCE) return null;
  const pad = Math.round(0.3 * side);
  const rx = Math.max(0, box.left - pad);
  const ry = Math.max(0, box.top - pad);
  return {
    nasalSide: evidence > 0 ? 'left' : 'right',
    confidence: round(Math.min(1, Math.abs(evidence) / 2), 3),
    region: { x: rx, y: ry, width: Math.min(width, box.right + pad + 1) - rx, height: Math.min(height, box.bottom + pad + 1) - ry },
  };
}

/**
 * Halfway between the corner's typical (median) grey and white: the marker is drawn in white, the
 * background is speckle around a dark mean. Never below 120, so a dark, flat corner has no "lines".
 */
function brightThreshold(grey: Uint8Array, width: number, x0: number, x1: number, y0: number, y1: number): number {
  const hist = new Uint32Array(256);
  let n = 0;
  for (let y = y0; y < y1; y += 2) for (let x = x0; x < x1; x += 2, n++) hist[grey[y * width + x]!]!++;
  let acc = 0;
  let median = 0;
  for (; median < 255; median++) if ((acc += hist[median]!) >= n / 2) break;
  return Math.max(120, Math.round((median + 255) / 2));
}

/** The longest run of bright pixels in column x between rows y0 and y1, bridging 1-px gaps. */
function verticalRun(bright: (x: number, y: number) => boolean, x: number, y0: number, y1: number): { start: number; end: number } | null {
  let best: { start: number; end: number } | null = null;
  let start = -1;
  let last = -1;
  for (let y = y0; y < y1; y++) {
    if (!bright(x, y)) continue;
    if (start < 0 || y - last > 2) start = y;
    last = y;
    if (!best || last + 1 - start > best.end - best.start) best = { start, end: last + 1 };
  }
  return best;
}

/** Share of bright pixels along row y (or its neighbours, for an edge that JPEG spread over two rows). */
function rowCoverage(bright: (x: number, y: number) => boolean, y: number, xa: number, xb: number, y0: number, y1: number): number {
  let best = 0;
  for (let yy = Math.max(y0, y - 1); yy <= Math.min(y1 - 1, y + 1); yy++) {
    let k = 0;
    for (let x = xa; x <= xb; x++) if (bright(x, yy)) k++;
    best = Math.max(best, k / (xb - xa + 1));
  }
  return best;
}

/**
 * The square outline: two columns holding long vertical runs over the same rows, about as far apart as
 * the runs are long, joined by bright rows at the runs' top and bottom. The widest such square wins.
 */
function findBox(bright: (x: number, y: number) => boolean, x0: number, x1: number, y0: number, y1: number, minSide: number): Box | null {
  const columns: { x: number; start: number; end: number }[] = [];
  for (let x = x0; x < x1; x++) {
    const run = verticalRun(bright, x, y0, y1);
    if (run && run.end - run.start >= minSide) columns.push({ x, ...run });
  }
  let best: Box | null = null;
  for (let i = 0; i < columns.length; i++) {
    for (let j = columns.length - 1; j > i; j--) {
      const a = columns[i]!;
      const b = columns[j]!;
      const w = b.x - a.x;
      if (w < minSide || Math.abs(a.start - b.start) > 3 || Math.abs(a.end - b.end) > 3) continue;
      const top = Math.min(a.start, b.start);
      const bottom = Math.max(a.end, b.end) - 1;
      const h = bottom - top;
      if (w < 0.8 * h || w > 1.25 * h) continue;
      if (rowCoverage(bright, top, a.x, b.x, y0, y1) < EDGE_COVERAGE || rowCoverage(bright, bottom, a.x, b.x, y0, y1) < EDGE_COVERAGE) continue;
      if (!best || w > best.right - best.left) best = { left: a.x, right: b.x, top, bottom };
      break; // the widest partner of column a is found; a narrower one is the same box's inner edge
    }
  }
  return best;
}

/**
 * How much better the glyph in the window reads as N than as T (correlation with N minus correlation
 * with T, -2..2), or null when the window holds no glyph.
 */
function glyphEvidence(grey: Uint8Array, width: number, threshold: number, [xa, xb]: [number, number], [ya, yb]: [number, number]): number | null {
  if (xb - xa < 3 || yb - ya < 4) return null;
  const lit = (x: number, y: number) => x >= xa && x < xb && y >= ya && y < yb && grey[y * width + x]! >= threshold;
  // bounding box of the lit pixels that have a lit neighbour (lone speckle is not part of a letter)
  let gx0 = Infinity, gx1 = -Infinity, gy0 = Infinity, gy1 = -Infinity;
  for (let y = ya; y < yb; y++) {
    for (let x = xa; x < xb; x++) {
      if (!lit(x, y)) continue;
      let neighbour = false;
      for (let dy = -1; dy <= 1 && !neighbour; dy++) for (let dx = -1; dx <= 1; dx++) if ((dx || dy) && lit(x + dx, y + dy)) { neighbour = true; break; }
      if (!neighbour) continue;
      gx0 = Math.min(gx0, x); gx1 = Math.max(gx1, x); gy0 = Math.min(gy0, y); gy1 = Math.max(gy1, y);
    }
  }
  if (!Number.isFinite(gx0) || gx1 - gx0 < 2 || gy1 - gy0 < 3) return null;
  const cells = sampleGlyph(grey, width, threshold, gx0, gx1 + 1, gy0, gy1 + 1);
  return correlation(cells, TEMPLATE_VALUES.N) - correlation(cells, TEMPLATE_VALUES.T);
}

/** The glyph's box averaged onto the GLYPH_W x GLYPH_H grid, each pixel as lit (1) or not (0). */
function sampleGlyph(grey: Uint8Array, width: number, threshold: number, x0: number, x1: number, y0: number, y1: number): number[] {
  const out: number[] = [];
  const gw = x1 - x0;
  const gh = y1 - y0;
  for (let r = 0; r < GLYPH_H; r++) {
    for (let c = 0; c < GLYPH_W; c++) {
      const ya = y0 + Math.floor((r * gh) / GLYPH_H);
      const yb = Math.max(ya + 1, y0 + Math.floor(((r + 1) * gh) / GLYPH_H));
      const xa = x0 + Math.floor((c * gw) / GLYPH_W);
      const xb = Math.max(xa + 1, x0 + Math.floor(((c + 1) * gw) / GLYPH_W));
      let k = 0;
      let n = 0;
      for (let y = ya; y < yb; y++) for (let x = xa; x < xb; x++, n++) if (grey[y * width + x]! >= threshold) k++;
      out.push(k / n);
    }
  }
  return out;
}

/** Pearson correlation of two equally long vectors; 0 when either is flat. */
function correlation(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]!; mb += b[i]!; }
  ma /= n; mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db; saa += da * da; sbb += db * db;
  }
  return saa === 0 || sbb === 0 ? 0 : sab / Math.sqrt(saa * sbb);
}
