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
});
