import { describe, expect, it } from 'vitest';
import { differenceShare, type LabelMap } from './overlay';

const map = (labels: number[]): LabelMap => ({ width: labels.length, height: 1, labels: Uint8Array.from(labels) });
const all = Array.from({ length: 9 }, (_, i) => i > 0);

describe('differenceShare', () => {
  it('counts disagreeing pixels among those labelled in either map', () => {
    // background in both (ignored), agree, agree, model 1 vs manual 2, model 3 vs background
    expect(differenceShare(map([0, 1, 2, 1, 3]), map([0, 1, 2, 2, 0]), all)).toBeCloseTo(2 / 4);
  });

  it('ignores pixels whose classes are hidden in both maps', () => {
    const onlyNfl = all.map((_, i) => i === 1);
    // pixel 2 (2 vs 2) and pixel 4 (3 vs 0) are hidden; pixel 3 (1 vs 2) counts through NFL
    expect(differenceShare(map([0, 1, 2, 1, 3]), map([0, 1, 2, 2, 0]), onlyNfl)).toBeCloseTo(1 / 2);
    expect(differenceShare(map([2, 3]), map([2, 3]), all.map(() => false))).toBe(0);
  });
});
