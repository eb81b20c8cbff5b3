import { describe, expect, it } from 'vitest';
import { Selection } from './selection.svelte';

describe('Selection', () => {
  it('toggles, forces, adds all, keeps choice order, retains and clears', () => {
    const s = new Selection<number>();
    s.toggle(3);
    s.toggle(1);
    s.toggle(3, true);
    expect(s.ids).toEqual([3, 1]);
    expect(s.hasAll([1, 3])).toBe(true);
    expect(s.hasAll([])).toBe(false);
    s.toggle(3);
    expect(s.has(3)).toBe(false);
    s.addAll([5, 6, 1]);
    expect(s.ids).toEqual([1, 5, 6]);
    s.retain([1, 6, 9]);
    expect(s.ids).toEqual([1, 6]);
    expect(s.size).toBe(2);
    s.clear();
    expect(s.size).toBe(0);
  });
});
