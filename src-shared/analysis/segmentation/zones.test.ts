import { describe, expect, it } from 'vitest';
import { zoneKeyOf, zoneLabel, zoneName, zoneSpans } from './zones';
import { ZONE_KEYS } from '../../domain/segmentation';

describe('zoneSpans', () => {
  // fovea at column 400, 10 µm/px lateral: centre radius 50 px, inner ring to 150 px, outer ring to 300 px
  it.each([
    [1000, 'leftOuter 100-250, leftInner 250-350, centre 350-450, rightInner 450-550, rightOuter 550-700'],
    // clipped at the image edge
    [600, 'leftOuter 100-250, leftInner 250-350, centre 350-450, rightInner 450-550, rightOuter 550-600'],
  ] as const)('on a %i px wide scan', (width, expected) => {
    expect(zoneSpans(400, width, 10).map((s) => `${s.key} ${s.startColumn}-${s.endColumn}`).join(', ')).toBe(expected);
  });
  it('has no zones without a lateral scale', () => {
    expect(zoneSpans(400, 1000, null)).toEqual([]);
  });
});

describe('zone names', () => {
  it('puts nasal on the right for OD and on the left for OS', () => {
    expect(ZONE_KEYS.map((k) => zoneName(k, 'OD'))).toEqual(['temporalOuter', 'temporalInner', 'centre', 'nasalInner', 'nasalOuter']);
    expect(ZONE_KEYS.map((k) => zoneName(k, 'OS'))).toEqual(['nasalOuter', 'nasalInner', 'centre', 'temporalInner', 'temporalOuter']);
  });
  it('never says nasal or temporal while the eye is unknown', () => {
    expect(ZONE_KEYS.map((k) => zoneLabel(k, 'unknown'))).toEqual(['L outer', 'L inner', 'Centre', 'R inner', 'R outer']);
    expect(ZONE_KEYS.map((k) => zoneLabel(k, 'unknown', 'long')).join(' ')).not.toMatch(/nasal|temporal/i);
  });
  it('finds the image side of an anatomical zone', () => {
    expect(zoneKeyOf('nasalInner', 'OD')).toBe('rightInner');
    expect(zoneKeyOf('nasalInner', 'OS')).toBe('leftInner');
    expect(zoneKeyOf('temporalOuter', 'OS')).toBe('rightOuter');
    expect(zoneLabel('leftOuter', 'OS', 'long')).toBe('Nasal outer');
  });
});
