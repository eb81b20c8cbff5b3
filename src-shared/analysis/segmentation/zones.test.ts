import { describe, expect, it } from 'vitest';
import { zoneSpans } from './zones';

describe('zoneSpans', () => {
  // fovea at column 400, 10 µm/px lateral: centre radius 50 px, inner ring to 150 px, outer ring to 300 px
  it.each([
    // OD: nasal to the right of the fovea
    ['OD', 1000, 'temporalOuter 100-250, temporalInner 250-350, centre 350-450, nasalInner 450-550, nasalOuter 550-700'],
    // OS: mirrored, and clipped at the image edge
    ['OS', 600, 'temporalOuter 550-600, temporalInner 450-550, centre 350-450, nasalInner 250-350, nasalOuter 100-250'],
  ] as const)('%s on a %i px wide scan', (eye, width, expected) => {
    expect(zoneSpans(400, width, 10, eye).map((s) => `${s.key} ${s.startColumn}-${s.endColumn}`).join(', ')).toBe(expected);
  });
  it('has no zones without a lateral scale', () => {
    expect(zoneSpans(400, 1000, null, 'OD')).toEqual([]);
  });
});
