import { describe, expect, it } from 'vitest';
import { fovealPitLabels } from '../../../test-support/label-maps';
import type { SegmentationSummary } from '../../domain/segmentation';
import { upgradeSummary } from './legacy-summary';
import { summariseSegmentation } from './summary';

/** A summary in the shape stored before zones were keyed by image side: nasal/temporal keys, eye {value, assumed}. */
function legacy(eye: { value: 'OD' | 'OS'; assumed: boolean }): { old: SegmentationSummary; now: SegmentationSummary } {
  const { labels } = fovealPitLabels(512, 496);
  const now = summariseSegmentation({
    labels, width: 512, height: 496, confidence: null, scale: { axialUmPerPx: 3.87, lateralUmPerPx: 11.72, provenance: 'user' },
    eye: { value: eye.value, source: 'manifest', confidence: 1 }, model: { id: 'm', version: '1', name: 'm', trained: true },
    engine: { engine: 'onnx', executionProvider: 'cpu' }, orderRepair: { columns: 0, pixels: 0 },
  });
  const nasalRight = eye.value === 'OD';
  const rename: Record<string, string> = {
    leftOuter: nasalRight ? 'temporalOuter' : 'nasalOuter',
    leftInner: nasalRight ? 'temporalInner' : 'nasalInner',
    centre: 'centre',
    rightInner: nasalRight ? 'nasalInner' : 'temporalInner',
    rightOuter: nasalRight ? 'nasalOuter' : 'temporalOuter',
  };
  const means = (m: Record<string, number | null>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [rename[k], v]));
  const old = JSON.parse(JSON.stringify({
    ...now,
    zones: now.zones.map((z) => ({ ...z, key: rename[z.key] })),
    layers: now.layers.map((l) => ({ ...l, zoneMeans: means(l.zoneMeans) })),
    total: { ...now.total, zoneMeans: means(now.total.zoneMeans) },
    eye,
  })) as SegmentationSummary;
  return { old, now };
}

describe('upgradeSummary', () => {
  it('keys an OS summary stored with nasal/temporal zones by image side again', () => {
    const { old, now } = legacy({ value: 'OS', assumed: false });
    const up = upgradeSummary(old);
    expect(up.zones).toEqual(now.zones);
    expect(up.total.zoneMeans).toEqual(now.total.zoneMeans);
    expect(up.layers[0]!.zoneMeans).toEqual(now.layers[0]!.zoneMeans);
    expect(up.eye).toEqual({ value: 'OS', source: 'manifest', confidence: 1 });
  });

  it('turns an assumed OD into an unknown eye, keeping the geometry (laid out as OD)', () => {
    const { old, now } = legacy({ value: 'OD', assumed: true });
    const up = upgradeSummary(old);
    expect(up.zones).toEqual(now.zones);
    expect(up.total.zoneMeans).toEqual(now.total.zoneMeans);
    expect(up.eye).toEqual({ value: 'unknown', source: null, confidence: null });
  });

  it('returns a current summary unchanged', () => {
    const { now } = legacy({ value: 'OD', assumed: false });
    expect(upgradeSummary(now)).toBe(now);
  });
});
