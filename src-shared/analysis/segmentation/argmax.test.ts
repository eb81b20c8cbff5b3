import { describe, expect, it } from 'vitest';
import { argmaxLogits } from './argmax';

describe('argmaxLogits', () => {
  it('maps the model class order to the canonical one and returns the softmax maximum', () => {
    // 2 classes, 1x2 image; model class 0 = canonical 3, model class 1 = canonical 0
    const logits = new Float32Array([5, 0, 0, 5]); // [C=2][H=1][W=2]
    const r = argmaxLogits(logits, [3, 0], 1, 2);
    expect([...r.labels]).toEqual([3, 0]);
    expect(r.confidence[0]).toBeCloseTo(1 / (1 + Math.exp(-5)), 5);
  });
  it('crops padding away', () => {
    const logits = new Float32Array(2 * 2 * 4); // C=2, H=2, W=4 -> out 1x3
    logits[8 + 1] = 1; // class 1 at (0,1)
    const r = argmaxLogits(logits, [0, 1], 2, 4, 1, 3);
    expect([...r.labels]).toEqual([0, 1, 0]);
  });
  it('matches the softmax computed directly (labels, confidence, entropy) on random logits', () => {
    // 9 classes, 7x5 tensor cropped to 6x4, at an offset: the layout the worker hands over
    const C = 9, H = 7, W = 5, offset = 3;
    let seed = 1;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 30;
    const logits = Float32Array.from({ length: offset + C * H * W }, rand);
    // background (model class 0) wins nowhere, so every pixel is inside the tissue band
    for (let i = 0; i < H * W; i++) logits[offset + i] = -100;
    const classMap = [0, 2, 1, 3, 4, 5, 6, 8, 7];
    const r = argmaxLogits(logits, classMap, H, W, 6, 4, offset);
    for (let y = 0; y < 6; y++) {
      for (let x = 0; x < 4; x++) {
        const v = Array.from({ length: C }, (_, c) => logits[offset + c * H * W + y * W + x]!);
        const m = Math.max(...v);
        const z = v.reduce((a, b) => a + Math.exp(b - m), 0);
        const p = v.map((b) => Math.exp(b - m) / z);
        const o = y * 4 + x;
        expect(r.labels[o]).toBe(classMap[v.indexOf(m)]);
        expect(r.confidence[o]).toBeCloseTo(1 / z, 4);
        expect(r.entropy[o]).toBeCloseTo(-p.reduce((a, q) => a + (q > 0 ? q * Math.log(q) : 0), 0), 3);
      }
    }
  });
  it('computes the softmax inside the tissue band only: from the first to the last non-background pixel of each column', () => {
    // 2 classes, H=5 x W=2; background logit 9 everywhere; class 1 wins (10) at column 0, rows 1 and 3, and is
    // close behind (8) elsewhere. Column 0's band is rows 1-3 (row 2 background inside it); column 1 has none.
    const H = 5, W = 2;
    const logits = new Float32Array(2 * H * W).fill(9);
    for (let i = 0; i < H * W; i++) logits[H * W + i] = 8;
    logits[H * W + 1 * W + 0] = 10;
    logits[H * W + 3 * W + 0] = 10;
    const r = argmaxLogits(logits, [0, 1], H, W);
    expect([...r.labels]).toEqual([0, 0, 1, 0, 0, 0, 1, 0, 0, 0]);
    const inBand = [2, 4, 6];
    for (let i = 0; i < H * W; i++) expect(r.confidence[i]! > 0).toBe(inBand.includes(i));
    expect(r.confidence[4]).toBeCloseTo(1 / (1 + Math.exp(-1)), 4);
    expect(r.entropy[4]).toBeGreaterThan(0.5); // background 9 against 8: unsure, inside the band
    expect(r.entropy[8]).toBe(0); // as unsure, but below the band: not computed
  });
});
