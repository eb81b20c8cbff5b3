import { describe, expect, it } from 'vitest';
import { soloToggle } from './solo';

describe('Solo is a toggle', () => {
  const shown = [false, true, false, true, true];
  it('solo shows one layer; the same Solo again brings back what was shown', () => {
    const solo = soloToggle({ visible: shown, soloed: null, before: null }, 3);
    expect(solo.visible).toEqual([false, false, false, true, false]);
    expect(solo.soloed).toBe(3);
    const back = soloToggle(solo, 3);
    expect(back.visible).toEqual(shown);
    expect(back.soloed).toBeNull();
  });
  it('moving the solo to another layer keeps the set to come back to', () => {
    const a = soloToggle({ visible: shown, soloed: null, before: null }, 1);
    const b = soloToggle(a, 4);
    expect(b.visible).toEqual([false, false, false, false, true]);
    expect(soloToggle(b, 4).visible).toEqual(shown);
  });
});
