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
