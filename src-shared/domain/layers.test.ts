import { describe, expect, it } from 'vitest';
import { CLASS_COUNT, LAYERS, RETINA_FIRST, RETINA_LAST, RETINAL_LAYERS, classIndexForLabel, classSpellings } from './layers';

describe('the layer table', () => {
  it('derives the retina (NFL..RPE) from the table: the choroid is not retina', () => {
    expect([RETINA_FIRST, RETINA_LAST]).toEqual([1, 7]);
    expect(RETINAL_LAYERS.map((l) => l.key)).toEqual(['NFL', 'GCL+IPL', 'INL', 'OPL', 'ONL', 'EZ', 'RPE']);
    expect(LAYERS.length + 1).toBe(CLASS_COUNT);
  });

  it('no spelling names two classes, and every one finds its own class whatever its case, spaces, _ or -', () => {
    for (const { index, spellings } of classSpellings()) {
      for (const s of spellings) {
        expect(classIndexForLabel(s), s).toBe(index);
        expect(classIndexForLabel(` ${s.toUpperCase().replace(/ /g, '_')} `), s).toBe(index);
      }
    }
    expect(classIndexForLabel('Elipsoid Zone')).toBe(6);
    expect(classIndexForLabel('bg')).toBe(0);
    expect(classIndexForLabel('vitreous')).toBeUndefined();
  });
});
