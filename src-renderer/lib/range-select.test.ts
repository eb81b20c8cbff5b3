import { describe, expect, it } from 'vitest';
import { rangeBetween } from './range-select';

describe('rangeBetween', () => {
  const shown = [10, 11, 12, 13, 14];
  it('covers anchor to target in either direction, both included', () => {
    expect(rangeBetween(shown, 11, 13)).toEqual([11, 12, 13]);
    expect(rangeBetween(shown, 14, 12)).toEqual([12, 13, 14]);
    expect(rangeBetween(shown, 12, 12)).toEqual([12]);
  });
  it('without an anchor on the page, only the target', () => {
    expect(rangeBetween(shown, null, 13)).toEqual([13]);
    expect(rangeBetween(shown, 99, 13)).toEqual([13]);
    expect(rangeBetween(shown, 11, 99)).toEqual([]);
  });
});
