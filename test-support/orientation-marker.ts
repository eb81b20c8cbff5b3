/**
 * A synthetic Cirrus-style orientation marker drawn into a grey image, as the OCTID exports carry it in
 * their bottom-left corner: a square outline, the scan line with an arrow, S above, I below, and N and
 * T beside the box (which side N is on is the test's known answer). The letter shapes are the 6x8 and
 * 7x8 pixel glyphs of the real exports (read off NORMAL30.jpeg).
 */
import type { ImageSide } from '../src-shared/domain/laterality';

const GLYPHS: Record<'N' | 'T' | 'S' | 'I', string[]> = {
  N: ['##...#', '##...#', '#.#..#', '#.#..#', '#..#.#', '#..#.#', '#...##', '#...##'],
  T: ['#######', '...#...', '...#...', '...#...', '...#...', '...#...', '...#...', '...#...'],
  S: ['.####.', '#....#', '#.....', '.##...', '...##.', '.....#', '#....#', '.####.'],
  I: ['#', '#', '#', '#', '#', '#', '#', '#'],
};

/** Deterministic speckle around `mean` (a dark OCT background), so tests see the same image every run. */
export function speckleImage(width: number, height: number, mean = 45, spread = 40, seed = 7): Uint8Array {
  const grey = new Uint8Array(width * height);
  let s = seed >>> 0;
  for (let i = 0; i < grey.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    grey[i] = Math.max(0, Math.min(255, Math.round(mean + ((s >>> 8) / 0xffffff - 0.5) * 2 * spread)));
  }
  return grey;
}

function drawGlyph(grey: Uint8Array, width: number, glyph: keyof typeof GLYPHS, x0: number, y0: number, value: number): void {
  GLYPHS[glyph].forEach((row, dy) => {
    for (let dx = 0; dx < row.length; dx++) if (row[dx] === '#') grey[(y0 + dy) * width + x0 + dx] = value;
  });
}

export interface MarkerOptions {
  nasalSide: ImageSide;
  /** Box side in pixels (the 750x500 exports: 75). */
  side?: number;
  /** Top-left corner of the box (default: as in the 750x500 exports, scaled to the image). */
  left?: number;
  top?: number;
  /** Grey of the strokes (the exports: about 230-255). */
  value?: number;
  /** Draw this letter on both sides instead of N and T (a marker that contradicts itself). */
  bothLetters?: 'N' | 'T';
  /** Leave out the side letters (a box alone). */
  noLetters?: boolean;
}

/** Draws the marker into `grey` (in place) and returns the box's top-left corner and side. */
export function drawOrientationMarker(grey: Uint8Array, width: number, height: number, o: MarkerOptions): { left: number; top: number; side: number } {
  const k = height / 500;
  const side = o.side ?? Math.round(75 * k);
  const left = o.left ?? Math.round(31 * k);
  const top = o.top ?? Math.round(394 * k);
  const v = o.value ?? 240;
  for (let x = left; x <= left + side; x++) {
    grey[top * width + x] = v;
    grey[(top + side) * width + x] = v;
  }
  for (let y = top; y <= top + side; y++) {
    grey[y * width + left] = v;
    grey[y * width + left + side] = v;
  }
  const cy = top + Math.round(side / 2);
  for (let x = left; x <= left + side; x++) grey[cy * width + x] = v;
  for (let d = 1; d <= 5; d++) {
    grey[(cy - d) * width + left + side - d] = v;
    grey[(cy + d) * width + left + side - d] = v;
  }
  drawGlyph(grey, width, 'S', left + Math.round(side / 2) - 3, top - 13, v);
  drawGlyph(grey, width, 'I', left + Math.round(side / 2), top + side + 5, v);
  if (!o.noLetters) {
    const [l, r] = o.bothLetters ? [o.bothLetters, o.bothLetters] : o.nasalSide === 'left' ? (['N', 'T'] as const) : (['T', 'N'] as const);
    drawGlyph(grey, width, l, left - 5 - GLYPHS[l][0]!.length, cy - 5, v);
    drawGlyph(grey, width, r, left + side + 6, cy - 5, v);
  }
  return { left, top, side };
}
