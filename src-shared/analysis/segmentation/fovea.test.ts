import { describe, expect, it } from 'vitest';
import { findFovea } from './fovea';

describe('findFovea', () => {
  it('finds an off-centre pit, not the image centre', () => {
    const n = 400;
    const pit = 150;
    const profile = Array.from({ length: n }, (_, x) => 300 - 120 * Math.exp(-(((x - pit) / 25) ** 2)) + (x % 7) - 3);
    const f = findFovea(profile)!;
    expect(Math.abs(f.column - pit)).toBeLessThanOrEqual(3);
    expect(f.confidence).toBeGreaterThan(0.9);
  });
  it('gives low confidence on a flat profile and null when mostly missing', () => {
    expect(findFovea(Array.from({ length: 100 }, () => 200))!.confidence).toBeLessThan(0.1);
    expect(findFovea(Array.from({ length: 100 }, (_, x) => (x < 70 ? null : 200)))).toBeNull();
  });
});

describe('findFovea on a macular hole', () => {
  it('gives the centre of the hole, not the thin spot by its rim', () => {
    // columns 180-259 form a hole: no retina over 190-249 and a thin uneven floor at its edges, debris
    // on the left of the floor, the floor thinnest by the right rim (what the segmentation of
    // vid_1258159_1 looks like)
    const profile: (number | null)[] = Array.from({ length: 400 }, (_, x) => {
      if (x < 180 || x >= 260) return 100 + Math.abs(x - 220) * 0.05;
      if (x >= 190 && x < 250) return null;
      return x < 190 ? 30 : 8;
    });
    const f = findFovea(profile)!;
    expect(Math.abs(f.column - 220)).toBeLessThanOrEqual(2);
    expect(f.confidence).toBeGreaterThan(0.8);
  });
  it('an empty scan edge is not a hole', () => {
    const profile = Array.from({ length: 200 }, (_, x) => (x < 60 ? null : 200 - 80 * Math.exp(-(((x - 130) / 15) ** 2))));
    expect(Math.abs(findFovea(profile)!.column - 130)).toBeLessThanOrEqual(2);
  });
});
