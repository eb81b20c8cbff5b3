import { describe, expect, it } from 'vitest';
import { fovealPitLabels } from '../../test-support/label-maps';
import type { ScanScale, SegmentationSummary } from '../domain/segmentation';
import { resummarise, scaleDiffers } from './resummarise';
import { addFinding, repairOrder, summariseSegmentation } from './segmentation';

const W = 400;
const H = 300;
const SCALE: ScanScale = { axialUmPerPx: 4, lateralUmPerPx: 8, provenance: 'device-profile', source: 'profile' };

/** A network run's summary of a foveal scan: with a confidence map, the network's doubt and a downscale note. */
function run(): { labels: Uint8Array; summary: SegmentationSummary } {
  const { labels } = fovealPitLabels(W, H);
  const orderRepair = repairOrder(labels, W, H);
  const confidence = new Float32Array(labels.length).map((_, i) => (i % 3 === 0 ? 0.4 : 0.95));
  const summary = summariseSegmentation({
    labels, width: W, height: H, confidence, scale: SCALE, eye: { value: 'OD', source: 'marker', confidence: 0.9 },
    model: { id: 'm', version: '1', name: 'M', trained: true }, engine: { engine: 'onnx', executionProvider: 'cpu' },
    orderRepair, network: { bandEntropy: 0.5, flipDisagreement: 0.001 }, timings: { inference: 10 },
  });
  summary.inferenceSize = { width: 200, height: 150 };
  addFinding(summary.flags, { code: 'downscaled', severity: 'info', message: 'segmented at 200x150, downscaled', details: { value: 0.5, threshold: null, unit: 'share' } });
  return { labels, summary };
}

const numbers = (s: SegmentationSummary) => ({ layers: s.layers, total: s.total, zones: s.zones, fovea: s.fovea, confidence: s.confidence, flags: s.flags, eye: s.eye });

describe('resummarise', () => {
  it('with the same scale and eye gives back the run’s own summary, doubt and notes included', () => {
    const { labels, summary } = run();
    const again = resummarise({ old: summary, labels, scale: SCALE, eye: summary.eye });
    expect(numbers(again)).toEqual(numbers(summary));
    // the network's entropy finding and the downscale note came through without the maps
    expect(again.flags.findings!.map((f) => f.code)).toEqual(expect.arrayContaining(['high-entropy', 'downscaled']));
    expect(again.inferenceSize).toEqual({ width: 200, height: 150 });
  });

  it('a new axial spacing scales every µm value; a new eye renames nothing but the eye; a correction stays a correction', () => {
    const { labels, summary } = run();
    summary.correction = { baseSegmentationId: 3, changedShare: 0.01, changedPixels: 12, correctedBy: 'dr.x' };
    const scale = { axialUmPerPx: 2, lateralUmPerPx: 8, provenance: 'user' as const };
    const next = resummarise({ old: summary, labels, scale, eye: { value: 'OS', source: 'user', confidence: 1 } });
    expect(next.total.mean!).toBeCloseTo(summary.total.mean! / 2, 1);
    expect(next.layers[4]!.zoneMeans.centre!).toBeCloseTo(summary.layers[4]!.zoneMeans.centre! / 2, 1);
    expect(next.zones).toEqual(summary.zones);
    expect(next.eye).toEqual({ value: 'OS', source: 'user', confidence: 1 });
    expect(next.scale).toEqual(scale);
    expect(next.confidence).toEqual(summary.confidence);
    expect(next.correction).toEqual(summary.correction);
  });

  it('without a lateral spacing the zones go and the values stay per layer; without an axial one they are pixels', () => {
    const { labels, summary } = run();
    const px = resummarise({ old: summary, labels, scale: { axialUmPerPx: null, lateralUmPerPx: null, provenance: 'unknown' }, eye: summary.eye });
    expect(px.zones).toEqual([]);
    expect(px.total.unit).toBe('px');
    expect(px.total.mean!).toBeCloseTo(summary.total.mean! / 4, 1);
  });

  it('tells a scale that changes the numbers or the stated source from one that does not', () => {
    expect(scaleDiffers(SCALE, { ...SCALE })).toBe(false);
    expect(scaleDiffers(SCALE, { ...SCALE, axialUmPerPx: 3.9 })).toBe(true);
    expect(scaleDiffers(SCALE, { ...SCALE, provenance: 'user' })).toBe(true);
  });
});
