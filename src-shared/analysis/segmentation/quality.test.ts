import { describe, expect, it } from 'vitest';
import { layeredLabels } from '../../../test-support/label-maps';
import type { QualityCode, QualityFlags, ScanScale } from '../../domain/segmentation';
import { findingsOf, needsReview, QUALITY_RULES } from './quality';
import { summariseSegmentation, type SummariseInput } from '.';

const W = 200;
const H = 300;
const PX: ScanScale = { axialUmPerPx: null, lateralUmPerPx: null, provenance: 'unknown' };
const PIT = 100;
/**
 * A healthy-looking column: a pit at column 100 where NFL and GCL+IPL thin to nothing and INL and OPL
 * to nothing in the pit's middle (as the shipped model segments a normal Cirrus scan).
 */
const healthy = (x: number, c: number) => {
  const dip = Math.exp(-(((x - PIT) / 20) ** 2));
  if (c === 1) return Math.round(12 * (1 - dip));
  if (c === 2) return Math.round(20 * (1 - dip));
  if (c === 3 || c === 4) return Math.round(10 * (1 - dip));
  return c === 8 ? 20 : 10;
};
const TOP = 40;

function summarise(labels: Uint8Array, extra: Partial<SummariseInput> = {}) {
  return summariseSegmentation({
    labels, width: W, height: H, confidence: null, scale: PX, eye: { value: 'OD', source: 'manifest', confidence: 1 },
    model: { id: 'm', version: '0', name: 'm', trained: true }, engine: { engine: 'test', executionProvider: 'none' },
    orderRepair: { columns: 0, pixels: 0 }, ...extra,
  });
}
const codes = (flags: QualityFlags) => (flags.findings ?? []).map((f) => f.code);
const finding = (flags: QualityFlags, code: QualityCode) => flags.findings?.find((f) => f.code === code);

describe('QUALITY_RULES', () => {
  it('a healthy scan: no findings, nothing missing (layers absent at the pit are not missing), every rule measured', () => {
    const s = summarise(layeredLabels(W, H, TOP, healthy), { network: { bandEntropy: 0.07, flipDisagreement: 0.01 } });
    expect(s.flags.findings).toEqual([]);
    expect(s.flags.needsReview).toBe(false);
    expect(s.flags.likelyFailure).toBe(false);
    // before: every column where NFL or GCL+IPL vanished at the pit counted as "missing a layer"
    expect(s.flags.columnsMissingLayers).toBe(0);
    expect(s.flags.measures!['high-entropy']).toBe(0.07);
    expect(s.flags.measures!['surface-jumps']).toBe(0);
  });

  it('a third of the columns without retina: a likely failure, with the measured share and threshold as data', () => {
    const s = summarise(layeredLabels(W, H, TOP, (x, c) => (x < 67 ? 0 : healthy(x, c))));
    const f = finding(s.flags, 'columns-without-retina')!;
    expect(f.severity).toBe('failure');
    expect(f.details).toEqual({ value: 0.335, threshold: QUALITY_RULES.columnsWithoutRetina.above, unit: 'share' });
    expect(f.message).toBe('33.5 % of columns have no retina (threshold 2 %)');
    expect(s.flags.likelyFailure).toBe(true);
    expect(s.flags.columnsMissingLayers).toBeCloseTo(0.335, 3);
  });

  it('an outer layer missing outside the pit is measured honestly; INL absent only at the pit is not', () => {
    const share = 0.1;
    // ONL missing in the first 10 % of the columns (far from the pit)
    const s = summarise(layeredLabels(W, H, TOP, (x, c) => (c === 5 && x < W * share ? 0 : healthy(x, c))));
    expect(finding(s.flags, 'missing-layers')!.details.value).toBeCloseTo(share, 5);
    expect(finding(s.flags, 'missing-layers')!.severity).toBe('review');
    expect(s.flags.likelyFailure).toBe(false);
    expect(s.flags.reasons).toContain('10 % of columns with retina lack one of INL..RPE (threshold 2 %)');
  });

  it('NFL missing far from the fovea is its own finding above the normals-based threshold', () => {
    const s = summarise(layeredLabels(W, H, TOP, (x, c) => (c === 1 && x > 120 ? 0 : healthy(x, c))));
    expect(codes(s.flags)).toEqual(['inner-layers-missing']);
    expect(finding(s.flags, 'inner-layers-missing')!.details.value).toBeGreaterThan(QUALITY_RULES.innerLayersMissing.above);
  });

  it('a cyst left unlabelled inside the retina is a gap finding; a jump of the surface is counted', () => {
    const labels = layeredLabels(W, H, TOP, healthy);
    for (let y = 80; y < 86; y++) for (let x = 150; x < 160; x++) labels[y * W + x] = 0;
    const s = summarise(labels);
    expect(codes(s.flags)).toEqual(['gaps-in-retina']);
    // the whole stack steps down by 20 rows at columns 40 and 170 (twice: more than the one allowed)
    const stepped = layeredLabels(W, H, TOP, healthy);
    const shifted = layeredLabels(W, H, TOP + 20, healthy);
    for (let i = 0; i < stepped.length; i++) if (i % W >= 40 && i % W < 170) stepped[i] = shifted[i]!;
    expect(finding(summarise(stepped).flags, 'surface-jumps')!.details.value).toBe(2); // ILM and BM step together: one place each
  });

  it('the network doubt: entropy and flip disagreement above their thresholds; not measured without a network', () => {
    const labels = layeredLabels(W, H, TOP, healthy);
    const s = summarise(labels, { network: { bandEntropy: QUALITY_RULES.highEntropy.above + 0.01, flipDisagreement: QUALITY_RULES.flipDisagreement.above + 0.01 } });
    expect(codes(s.flags)).toEqual(['high-entropy', 'flip-disagreement']);
    expect(s.flags.needsReview).toBe(true);
    expect(s.flags.likelyFailure).toBe(false);
    const disk = summarise(labels);
    expect(disk.flags.measures!['flip-disagreement']).toBeNull();
  });

  it('low confidence: a reason above one share, a likely failure only above the higher one', () => {
    const labels = layeredLabels(W, H, TOP, healthy);
    const conf = (share: number) => {
      const retinal = [...labels.keys()].filter((i) => labels[i]! >= 1 && labels[i]! <= 7);
      const c = new Float32Array(labels.length).fill(0.9);
      for (const i of retinal.slice(0, Math.round(retinal.length * share))) c[i] = 0.1;
      return c;
    };
    const review = summarise(labels, { confidence: conf(0.4) });
    expect(finding(review.flags, 'low-confidence')!.severity).toBe('review');
    expect(summarise(labels, { confidence: conf(0.6) }).flags.likelyFailure).toBe(true);
  });

  it('a layer thicker than the allowed share of the image height is a likely failure', () => {
    const rows = Math.ceil(H * QUALITY_RULES.layerTooThick.above) + 5;
    const s = summarise(layeredLabels(W, H, 0, (x, c) => (c === 8 ? rows : healthy(x, c))));
    expect(s.flags.implausibleThickness).toEqual([finding(s.flags, 'layer-too-thick')!.message]);
    expect(s.flags.likelyFailure).toBe(true);
  });

  it('order repaired in more columns than normal scans need is a reason, not a failure', () => {
    const columns = Math.ceil(W * QUALITY_RULES.orderRepaired.above) + 1;
    const s = summarise(layeredLabels(W, H, TOP, healthy), { orderRepair: { columns, pixels: columns } });
    expect(codes(s.flags)).toEqual(['order-repaired']);
    expect(s.flags.likelyFailure).toBe(false);
  });

  it('reads flags stored before findings existed', () => {
    const old: QualityFlags = { orderViolationsRepaired: 0, columnsMissingLayers: 0.4, implausibleThickness: [], lowConfidenceShare: 0, likelyFailure: false, reasons: ['fovea not found'] };
    expect(findingsOf(old)).toEqual([{ code: 'earlier-flag', severity: 'review', message: 'fovea not found', details: { value: null, threshold: null, unit: 'share' } }]);
    expect(needsReview(old)).toBe(true);
    expect(needsReview({ ...old, reasons: [] })).toBe(false);
  });
});
