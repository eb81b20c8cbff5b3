import { describe, expect, it } from 'vitest';
import { layeredLabels } from '../../../test-support/label-maps';
import type { ScanScale } from '../../domain/segmentation';
import { QUALITY_RULES } from './quality';
import { summariseSegmentation, type SummariseInput } from '.';

const W = 200;
const H = 300;
const PX: ScanScale = { axialUmPerPx: null, lateralUmPerPx: null, provenance: 'unknown' };
/** A healthy-looking column: a pit at column 100 where NFL and GCL+IPL thin to nothing. */
const healthy = (x: number, c: number) => {
  const dip = Math.exp(-(((x - 100) / 20) ** 2));
  if (c === 1) return Math.round(12 * (1 - dip));
  if (c === 2) return Math.round(20 * (1 - dip));
  return c === 8 ? 20 : 10;
};

function summarise(labels: Uint8Array, extra: Partial<SummariseInput> = {}) {
  return summariseSegmentation({
    labels, width: W, height: H, confidence: null, scale: PX, eye: { value: 'OD', source: 'manifest', confidence: 1 },
    model: { id: 'm', version: '0', name: 'm', trained: true }, engine: { engine: 'test', executionProvider: 'none' },
    orderRepair: { columns: 0, pixels: 0 }, ...extra,
  });
}

/** Confidence 0.9 everywhere except `lowShare` of the retinal pixels at 0.1. */
function confidenceWithLowShare(labels: Uint8Array, lowShare: number): Float32Array {
  const retinal = [...labels.keys()].filter((i) => labels[i]! >= 1 && labels[i]! <= 7);
  const conf = new Float32Array(labels.length).fill(0.9);
  for (const i of retinal.slice(0, Math.round(retinal.length * lowShare))) conf[i] = QUALITY_RULES.lowConfidencePixel - 0.4;
  return conf;
}

describe('QUALITY_RULES', () => {
  it('a healthy scan has no reasons; NFL and GCL+IPL missing at the pit is no failure', () => {
    const s = summarise(layeredLabels(W, H, 40, healthy));
    expect(s.flags.columnsMissingLayers).toBeGreaterThan(0);
    expect(s.flags.likelyFailure).toBe(false);
    expect(s.flags.reasons).toEqual([]);
  });

  it('INL missing in more than the allowed share of columns is a likely failure, named by the layer table', () => {
    const share = QUALITY_RULES.columnsMissingRequiredLayers + 0.1;
    const s = summarise(layeredLabels(W, H, 40, (x, c) => (c === 3 && x < W * share ? 0 : healthy(x, c))));
    expect(s.flags.likelyFailure).toBe(true);
    expect(s.flags.reasons).toContain(`${Math.round(share * 100)}% of columns lack one of INL..RPE`);
    const under = summarise(layeredLabels(W, H, 40, (x, c) => (c === 3 && x < W * (share - 0.2) ? 0 : healthy(x, c))));
    expect(under.flags.likelyFailure).toBe(false);
  });

  it('low confidence: a reason above one share, a likely failure only above the higher one', () => {
    const labels = layeredLabels(W, H, 40, healthy);
    const between = (QUALITY_RULES.lowConfidenceShareToReview + QUALITY_RULES.lowConfidenceShareForFailure) / 2;
    const review = summarise(labels, { confidence: confidenceWithLowShare(labels, between) });
    expect(review.flags.reasons).toContain(`${Math.round(between * 100)}% of retinal pixels have low confidence`);
    expect(review.flags.likelyFailure).toBe(false);
    const failed = summarise(labels, { confidence: confidenceWithLowShare(labels, QUALITY_RULES.lowConfidenceShareForFailure + 0.1) });
    expect(failed.flags.likelyFailure).toBe(true);
  });

  it('a layer thicker than the allowed share of the image height is implausible', () => {
    const rows = Math.ceil(H * QUALITY_RULES.layerShareOfImageHeight) + 5;
    const s = summarise(layeredLabels(W, H, 0, (x, c) => (c === 8 ? rows : healthy(x, c))));
    expect(s.flags.implausibleThickness).toEqual([`Choroid mean thickness is ${rows} px, over 40% of the image height`]);
    expect(s.flags.likelyFailure).toBe(true);
  });

  it('order repair in more than half the columns is a reason, not a failure', () => {
    const columns = Math.floor(W * QUALITY_RULES.orderRepairedColumns) + 1;
    const s = summarise(layeredLabels(W, H, 40, healthy), { orderRepair: { columns, pixels: columns } });
    expect(s.flags.reasons).toEqual([`order repaired in ${columns} of ${W} columns`]);
    expect(s.flags.likelyFailure).toBe(false);
  });
});
