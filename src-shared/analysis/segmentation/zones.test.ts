import { describe, expect, it } from 'vitest';
import { zoneSpans } from './zones';

describe('zoneSpans', () => {
  // 10 µm/px lateral: centre radius 50 px, inner ring to 150 px, outer ring to 300 px
  it('puts nasal to the right of the fovea for OD', () => {
    const z = Object.fromEntries(zoneSpans(400, 1000, 10, 'OD').map((s) => [s.key, [s.startColumn, s.endColumn]]));
    expect(z.centre).toEqual([350, 450]);
    expect(z.nasalInner).toEqual([450, 550]);
    expect(z.nasalOuter).toEqual([550, 700]);
    expect(z.temporalInner).toEqual([250, 350]);
    expect(z.temporalOuter).toEqual([100, 250]);
  });
  it('mirrors for OS and clips at the image edge', () => {
    const z = Object.fromEntries(zoneSpans(400, 600, 10, 'OS').map((s) => [s.key, [s.startColumn, s.endColumn]]));
    expect(z.nasalInner).toEqual([250, 350]);
    expect(z.nasalOuter).toEqual([100, 250]);
    expect(z.temporalInner).toEqual([450, 550]);
    expect(z.temporalOuter).toEqual([550, 600]);
  });
  it('has no zones without a lateral scale', () => {
    expect(zoneSpans(400, 1000, null, 'OD')).toEqual([]);
  });
});
