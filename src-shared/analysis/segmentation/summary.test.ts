import { describe, expect, it } from 'vitest';
import { layeredLabels } from '../../../test-support/label-maps';
import type { ScanScale } from '../../domain/segmentation';
import { scaleFor } from '../scale';
import { summariseSegmentation } from '.';

const MODEL = { id: 'm', version: '0', name: 'm', trained: true };
const ENGINE = { engine: 'test', executionProvider: 'none' };

describe('summariseSegmentation', () => {
  const w = 750;
  const h = 500;
  const pit = 300;
  // NFL and GCL+IPL thin out at the pit; other layers constant
  const labels = layeredLabels(w, h, 100, (x, c) => {
    const dip = Math.exp(-(((x - pit) / 40) ** 2));
    if (c === 1) return Math.round(20 * (1 - dip));
    if (c === 2) return Math.round(40 * (1 - 0.9 * dip));
    return c === 8 ? 30 : 15;
  });
  const base = { labels, width: w, height: h, confidence: null, model: MODEL, engine: ENGINE, orderRepair: { columns: 0, pixels: 0 } };

  it('reports micrometres with a known axial scale and zone means around the found fovea', () => {
    const scale = scaleFor({ width: 750, height: 500, device: 'Zeiss Cirrus HD-OCT' });
    expect(scale.provenance).toBe('device-profile');
    const s = summariseSegmentation({ ...base, scale, eye: { value: 'OD', source: 'manifest', confidence: 1 } });
    expect(s.total.unit).toBe('um');
    expect(Math.abs(s.fovea!.column - pit)).toBeLessThanOrEqual(2);
    // far from the pit: 20 + 40 + 5 x 15 = 135 px = 540 µm
    expect(s.total.profile[700]).toBeCloseTo(135 * scale.axialUmPerPx!, 1);
    const ez = s.layers.find((l) => l.layer === 'EZ')!;
    expect(ez.zoneMeans.centre).toBeCloseTo(15 * scale.axialUmPerPx!, 5);
    expect(ez.zoneMeans.rightOuter).toBeCloseTo(15 * scale.axialUmPerPx!, 5);
    expect(s.zones.map((z) => z.key)).toContain('centre');
    const centre = s.zones.find((z) => z.key === 'centre')!;
    expect(centre.endColumn - centre.startColumn).toBe(125);
    expect(s.eye).toEqual({ value: 'OD', source: 'manifest', confidence: 1 });
    expect(s.flags.likelyFailure).toBe(false);
  });

  it('reports pixels and no zones when the scale is unknown', () => {
    const scale: ScanScale = scaleFor({ width: 879, height: 586, device: 'Zeiss Cirrus HD-OCT' });
    expect(scale.provenance).toBe('unknown');
    const s = summariseSegmentation({ ...base, scale, eye: null });
    expect(s.total.unit).toBe('px');
    expect(s.total.profile[700]).toBe(135);
    expect(s.zones).toEqual([]);
    expect(s.total.zoneMeans.centre).toBeNull();
    expect(s.fovea).not.toBeNull();
  });

  it('takes the eye from the anatomy when none is given and the foveal pit is clear, else leaves it unknown', () => {
    const scale = scaleFor({ width: 750, height: 500, device: 'Zeiss Cirrus HD-OCT' });
    // NFL three times thicker left of the pit: nasal on the left, a left eye
    const nfl = (x: number, dip: number) => Math.round((x < pit ? 24 : 8) * (1 - dip));
    const withPit = layeredLabels(w, h, 100, (x, c) => {
      const dip = Math.exp(-(((x - pit) / 40) ** 2));
      return c === 1 ? nfl(x, dip) : c === 2 ? Math.round(40 * (1 - 0.9 * dip)) : c === 8 ? 30 : 15;
    });
    expect(summariseSegmentation({ ...base, labels: withPit, scale, eye: null }).eye).toMatchObject({ value: 'OS', source: 'anatomy' });
    // a stated eye is kept even where the anatomy would say otherwise
    expect(summariseSegmentation({ ...base, labels: withPit, scale, eye: { value: 'OD', source: 'user', confidence: 1 } }).eye.value).toBe('OD');
    // no pit (a flat retina): no fovea-centred scan to read, so no anatomy
    const flat = layeredLabels(w, h, 100, (x, c) => (c === 1 ? nfl(x, 0) : c === 8 ? 30 : 15));
    expect(summariseSegmentation({ ...base, labels: flat, scale, eye: null }).eye).toEqual({ value: 'unknown', source: null, confidence: null });
  });

  it('flags an empty segmentation as a likely failure', () => {
    const s = summariseSegmentation({ ...base, labels: new Uint8Array(w * h), scale: scaleFor({ width: w, height: h, device: 'Zeiss Cirrus HD-OCT' }), eye: { value: 'OS', source: 'user', confidence: 1 } });
    expect(s.flags.likelyFailure).toBe(true);
    expect(s.fovea).toBeNull();
    expect(s.flags.columnsMissingLayers).toBe(1);
  });
});
