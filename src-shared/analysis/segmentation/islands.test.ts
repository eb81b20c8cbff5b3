import { describe, expect, it } from 'vitest';
import { layeredLabels } from '../../../test-support/label-maps';
import { findIslands, labelRuns } from './islands';

const W = 120;
const H = 80;
/** Four layers of 5 rows from row 10 (NFL..OPL), RPE (7) at rows 30-34, choroid (8) at rows 35-54. */
function stack(): Uint8Array {
  return layeredLabels(W, H, 10, (_x, c) => (c <= 4 ? 5 : c === 7 ? 5 : c === 8 ? 20 : 0));
}
const count = (m: Uint8Array) => m.reduce((s, v) => s + v, 0);

/** Reference: 8-connected components of equal labels by breadth-first search, pixel by pixel. */
function componentsByBfs(labels: Uint8Array, w: number, h: number): Int32Array {
  const comp = new Int32Array(w * h).fill(-1);
  for (let s = 0; s < w * h; s++) {
    if (comp[s] !== -1) continue;
    comp[s] = s;
    const queue = [s];
    while (queue.length) {
      const i = queue.pop()!;
      const x = i % w;
      const y = (i - x) / w;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          const j = ny * w + nx;
          if (comp[j] === -1 && labels[j] === labels[s]) {
            comp[j] = s;
            queue.push(j);
          }
        }
      }
    }
  }
  return comp;
}

describe('findIslands', () => {
  it('finds an RPE blob inside the choroid under the main RPE band, and nothing in a clean stack', () => {
    const labels = stack();
    expect(findIslands(labels, W, H).pixels).toBe(0);
    for (let y = 44; y < 48; y++) for (let x = 50; x < 60; x++) labels[y * W + x] = 7;
    const r = findIslands(labels, W, H);
    expect(r.components).toBe(1);
    expect(r.pixels).toBe(40);
    expect(r.mask[45 * W + 55]).toBe(1);
    expect(r.mask[32 * W + 55]).toBe(0); // the main band stays
  });

  it('finds a fragment on the wrong side of another layer\'s main band (an ONL blob under the RPE on a hole\'s floor)', () => {
    // the stack is NFL..OPL rows 10-29 and RPE 30-34: give it an ONL band (rows 25-29 become ONL) first
    const labels = stack();
    for (let y = 25; y < 30; y++) for (let x = 0; x < W; x++) labels[y * W + x] = 5;
    expect(findIslands(labels, W, H).pixels).toBe(0);
    // a wider ONL blob where the main ONL band is absent (columns 80-99), below the RPE, in the choroid
    for (let y = 25; y < 30; y++) for (let x = 80; x < 100; x++) labels[y * W + x] = 0;
    for (let y = 38; y < 44; y++) for (let x = 80; x < 100; x++) labels[y * W + x] = 5;
    const r = findIslands(labels, W, H);
    expect(r.components).toBe(1);
    expect(r.mask[40 * W + 90]).toBe(1);
  });

  it('keeps both halves of a layer split by a hole (they share no column) and never calls background an island', () => {
    const labels = stack();
    // a full-thickness hole: columns 55-64 empty down to the RPE; a cyst inside INL elsewhere
    for (let y = 10; y < 30; y++) for (let x = 55; x < 65; x++) labels[y * W + x] = 0;
    for (let y = 21; y < 24; y++) for (let x = 20; x < 26; x++) labels[y * W + x] = 0;
    const r = findIslands(labels, W, H);
    expect(r.pixels).toBe(0);
  });

  it('keeps a one-pixel sloping layer in one piece (8-connected) but drops speckle', () => {
    const labels = new Uint8Array(W * H);
    for (let x = 0; x < W; x++) labels[(10 + Math.floor(x / 2)) * W + x] = 6; // a diagonal staircase
    expect(findIslands(labels, W, H).pixels).toBe(0);
    labels[5 * W + 100] = 6; // a lone EZ pixel in the vitreous, above the band's column
    labels[75 * W + 3] = 6; // a lone pixel below the band
    const r = findIslands(labels, W, H);
    expect(r.components).toBe(2);
    expect(count(r.mask)).toBe(2);
  });

  it('run-based components agree with a pixel-by-pixel search', () => {
    // a pseudo-random map of three classes
    const labels = new Uint8Array(40 * 30);
    let s = 7;
    for (let i = 0; i < labels.length; i++) {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      labels[i] = (s >> 16) % 3;
    }
    const pix = componentsByBfs(labels, 40, 30);
    const runs = labelRuns(labels, 40, 30);
    // same partition of the non-background pixels: map run roots to pixel roots one to one
    const toPixelRoot = new Map<number, number>();
    for (let k = 0; k < runs.count; k++) {
      for (let x = runs.start[k]!; x < runs.end[k]!; x++) {
        const p = pix[runs.row[k]! * 40 + x]!;
        const seen = toPixelRoot.get(runs.root[k]!);
        if (seen === undefined) toPixelRoot.set(runs.root[k]!, p);
        else expect(seen).toBe(p);
      }
    }
    expect(new Set(toPixelRoot.values()).size).toBe(toPixelRoot.size);
  });
});
