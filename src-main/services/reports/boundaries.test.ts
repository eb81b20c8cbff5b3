import { describe, expect, it } from 'vitest';
import { appErrorFrom } from '../../../test-support/expect-ok';
import { layeredLabels } from '../../../test-support/label-maps';
import { layerTopBoundaries, seriesPath } from './boundaries';

describe('layerTopBoundaries', () => {
  it('gives the top row of every layer per column, null where a layer is absent', () => {
    const labels = layeredLabels(3, 40, 4, (x, c) => (c === 1 && x === 2 ? 0 : 2));
    const b = layerTopBoundaries(labels, 3, 40);
    expect(b.map((l) => l.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(b[0]!.tops).toEqual([4, 4, null]);
    expect(b[1]!.tops).toEqual([6, 6, 4]);
  });

  it('a label map that does not cover its scan is BAD_INPUT saying both sizes, not an internal error', () => {
    expect(appErrorFrom(() => layerTopBoundaries(new Uint8Array(10), 4, 3))).toEqual({
      code: 'BAD_INPUT',
      message: 'The label map has 10 pixels; the scan is 4x3 (12).',
      details: { pixels: 10, width: 4, height: 3 },
    });
  });
});

describe('seriesPath', () => {
  it('breaks the line where values are missing', () => {
    expect(seriesPath([1, 2, null, 4], (x) => x, (v) => v)).toBe('M0.00 1.00L1.00 2.00M3.00 4.00');
  });
});
