import { describe, expect, it } from 'vitest';
import type { BscanRecord } from '../domain/series';
import { distanceToBscan, localizerExtentMm, nearestBscan } from './localizer';

/** Three horizontal B-scans 0.5 mm apart, as a volume lies on its localizer. */
const volume: BscanRecord[] = [0, 1, 2].map((i) => ({ index: i, width: 512, height: 496, quality: null, geometry: { type: 'line', start: { x: 1, y: 2 + i * 0.5 }, end: { x: 6, y: 2 + i * 0.5 } } }));

describe('B-scan positions on the localizer', () => {
  it('picks the B-scan nearest to a click, lines and circles alike', () => {
    expect(nearestBscan(volume, { x: 3, y: 2.2 })).toBe(0);
    expect(nearestBscan(volume, { x: 3, y: 2.3 })).toBe(1);
    expect(nearestBscan(volume, { x: 9, y: 3.1 })).toBe(2); // beyond the end: distance to the end point
    const circle = { type: 'circle' as const, centre: { x: 4, y: 4 }, radius: 1.5, start: { x: 5.5, y: 4 } };
    expect(distanceToBscan(circle, { x: 4, y: 4 })).toBeCloseTo(1.5);
    expect(distanceToBscan(circle, { x: 4, y: 5.5 })).toBeCloseTo(0);
    expect(nearestBscan([{ ...volume[0]!, geometry: null }], { x: 0, y: 0 })).toBeNull();
  });

  it("uses the localizer's scale for its extent, else the positions' bounding box", () => {
    expect(localizerExtentMm({ width: 768, height: 768, scaleXMm: 0.0112, scaleYMm: 0.0112, modality: 'IR', stored: false, missing: 'x' }, volume)).toEqual({
      x0: 0, y0: 0, width: expect.closeTo(8.6016, 4), height: expect.closeTo(8.6016, 4),
    });
    const box = localizerExtentMm(null, volume)!;
    expect(box.x0).toBeCloseTo(0.5);
    expect(box.width).toBeCloseTo(6);
    expect(localizerExtentMm(null, [])).toBeNull();
  });
});
