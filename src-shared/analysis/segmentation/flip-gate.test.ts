import { describe, expect, it } from 'vitest';
import type { QualityFlags } from '../../domain/segmentation';
import { applyFlipCheck, FLIP_GATE, needsFlipCheck } from './flip-gate';
import { QUALITY_RULES } from './quality';

const unflagged = (): QualityFlags => ({
  orderViolationsRepaired: 0, columnsMissingLayers: 0, implausibleThickness: [], lowConfidenceShare: 0,
  likelyFailure: false, needsReview: false, reasons: [], findings: [], measures: { 'flip-disagreement': null },
});

describe('the flip check gate', () => {
  it('mirrors only an unflagged scan whose entropy is above the gate', () => {
    expect(needsFlipCheck(FLIP_GATE.entropyAbove + 0.001, { needsReview: false })).toBe(true);
    expect(needsFlipCheck(FLIP_GATE.entropyAbove, { needsReview: false })).toBe(false); // as sure as 99 % of normals
    expect(needsFlipCheck(0.5, { needsReview: true })).toBe(false); // in the review queue already
    expect(needsFlipCheck(null, { needsReview: false })).toBe(false); // no retina band to compare
  });

  it('records a flip check run afterwards exactly as the rule would: measure always, finding only above the threshold', () => {
    const below = unflagged();
    applyFlipCheck(below, 0.01);
    expect(below.measures!['flip-disagreement']).toBe(0.01);
    expect(below.needsReview).toBe(false);
    expect(below.findings).toEqual([]);

    const above = unflagged();
    applyFlipCheck(above, 0.05);
    expect(above.needsReview).toBe(true);
    expect(above.findings!.map((f) => f.code)).toEqual(['flip-disagreement']);
    expect(above.findings![0]!.details).toEqual({ value: 0.05, threshold: QUALITY_RULES.flipDisagreement.above, unit: 'share' });
    expect(above.reasons).toEqual([QUALITY_RULES.flipDisagreement.reason(0.05, QUALITY_RULES.flipDisagreement.above!)]);
  });
});
