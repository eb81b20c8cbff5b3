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
  it('matches the softmax computed directly (labels, confidence, log-sum-exp, entropy) on random logits', () => {
    // 9 classes, 7x5 tensor cropped to 6x4, at an offset: the layout the worker hands over
    const C = 9, H = 7, W = 5, offset = 3;
    let seed = 1;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 30;
    const logits = Float32Array.from({ length: offset + C * H * W }, rand);
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
        expect(r.logNorm[o]).toBeCloseTo(m + Math.log(z), 3);
        expect(r.entropy[o]).toBeCloseTo(-p.reduce((a, q) => a + (q > 0 ? q * Math.log(q) : 0), 0), 3);
      }
    }
  });
});
