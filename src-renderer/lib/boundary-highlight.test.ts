import { describe, expect, it } from 'vitest';
import { layeredLabels } from '../../test-support/label-maps';
import { paintBoundaryHighlight } from './boundary-highlight';

describe('paintBoundaryHighlight', () => {
  it('paints the chosen boundary white, two rows high, and nothing else', () => {
    const width = 8;
    const height = 40;
    const labels = layeredLabels(width, height, 5, () => 3); // NFL 5-7, GCL+IPL 8-10, INL 11-13, ...
    const out = { data: new Uint8ClampedArray(width * height * 4), width, height, colorSpace: 'srgb' } as ImageData;
    expect(paintBoundaryHighlight({ width, height, labels }, 2, out)).toBe(width);
    const whiteRows = new Set<number>();
    for (let i = 0; i < width * height; i++) if (out.data[i * 4 + 3] === 255) whiteRows.add(Math.floor(i / width));
    // boundary 2 (GCL+IPL / INL) runs at row 11: rows 10 and 11 are lit
    expect([...whiteRows].sort((a, b) => a - b)).toEqual([10, 11]);
    expect(Array.from(out.data.slice(11 * width * 4, 11 * width * 4 + 4))).toEqual([255, 255, 255, 255]);
  });
});
