import { describe, expect, it } from 'vitest';
import { layeredLabels } from '../../../test-support/label-maps';
import { layerBoundaries, layerThicknessPx, totalThicknessPx } from './boundaries';

describe('boundaries and thickness', () => {
  it('finds top/bottom per column and thickness per layer and total (NFL top to RPE bottom)', () => {
    const w = 4;
    const h = 60;
    const labels = layeredLabels(w, h, 5, (x, c) => (c === 1 ? 2 + x : c === 8 ? 6 : 3));
    const b = layerBoundaries(labels, w, h);
    expect(b.top[1]![0]).toBe(5);
    expect(b.bottom[1]![0]).toBe(7);
    expect(b.top[2]![2]).toBe(9);
    expect(layerThicknessPx(b, 1)).toEqual([2, 3, 4, 5]);
    // total = NFL (2+x) + 6 layers x 3 (GCL..RPE), choroid excluded
    expect(totalThicknessPx(b, w)).toEqual([20, 21, 22, 23]);
    expect(layerThicknessPx(b, 8)).toEqual([6, 6, 6, 6]);
  });
  it('reports absent layers as null', () => {
    const labels = layeredLabels(2, 30, 2, (x, c) => (c === 1 && x === 1 ? 0 : 2));
    const b = layerBoundaries(labels, 2, 30);
    expect(layerThicknessPx(b, 1)).toEqual([2, null]);
  });
});
