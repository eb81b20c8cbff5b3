import { describe, expect, it } from 'vitest';
import {
  REVIEW_STATE_INFO,
  REVIEW_STATES,
  currentOf,
  keptBecause,
  parseReviewState,
  qualityFlagText,
  resegmentQuestion,
  reviewStateOf,
  segmentationName,
  signOffText,
  type SegmentationFacts,
} from './review';

/**
 * The review state machine on plain facts: each step appends or changes a segmentation the way the
 * catalog does (SegmentationsRepo), and the test reads what is current and what state the scan is in.
 */
let nextId = 1;
const at = (minute: number) => `2026-03-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
function model(minute: number, version = '1.1.0', flagged = false): SegmentationFacts {
  return { id: nextId++, kind: 'model', modelId: 'stratum-unet-light', modelVersion: version, createdAt: at(minute), correctedBy: null, signOff: null, flagged };
}
function correction(minute: number, by: string, from: SegmentationFacts): SegmentationFacts {
  return { ...from, id: nextId++, kind: 'manual', createdAt: at(minute), correctedBy: by, signOff: null, flagged: false };
}
function annotation(minute: number): SegmentationFacts {
  return { id: nextId++, kind: 'manual', modelId: null, modelVersion: null, createdAt: at(minute), correctedBy: null, signOff: null, flagged: false };
}
const signOff = (segs: SegmentationFacts[], id: number, by: string, minute: number) =>
  segs.map((s) => (s.id === id ? { ...s, signOff: { by, at: at(minute) } } : s));
const withdraw = (segs: SegmentationFacts[], id: number) => segs.map((s) => (s.id === id ? { ...s, signOff: null } : s));
const stateOf = (segs: SegmentationFacts[]) => reviewStateOf(currentOf(segs));

describe('review state machine', () => {
  it('not segmented -> not reviewed -> corrected -> signed off, and the correction stays current after re-segmenting', () => {
    let segs: SegmentationFacts[] = [];
    expect(stateOf(segs)).toBe('not-segmented');
    expect(resegmentQuestion(segs)).toBeNull();

    const first = model(0);
    segs = [first];
    expect(currentOf(segs)).toBe(first);
    expect(stateOf(segs)).toBe('not-reviewed');
    expect(resegmentQuestion(segs)).toBeNull(); // plain model output: nothing a person made, nothing to ask

    const fix = correction(5, 'dr.jones', first);
    segs = [...segs, fix];
    expect(currentOf(segs)?.id).toBe(fix.id);
    expect(stateOf(segs)).toBe('corrected');

    segs = signOff(segs, fix.id, 'dr.smith', 6);
    expect(stateOf(segs)).toBe('signed-off');
    expect(resegmentQuestion(segs)).toBe(
      'This scan has a correction (corrected by dr.jones, signed off by dr.smith). ' +
        'Re-segmenting stores the new model output beside them and discards nothing; the correction (corrected by dr.jones) stays current.',
    );

    // a newer model version run afterwards is stored beside the others; the signed correction stays current
    const rerun = model(9, '2.0.0');
    segs = [...segs, rerun];
    expect(segs.filter((s) => s.kind === 'model')).toHaveLength(2);
    expect(currentOf(segs)?.id).toBe(fix.id);
    expect(stateOf(segs)).toBe('signed-off');
  });

  it('flagged model output needs review until someone corrects or signs it off', () => {
    const flagged = model(0, '1.1.0', true);
    let segs = [flagged];
    expect(stateOf(segs)).toBe('needs-review');
    segs = signOff(segs, flagged.id, 'dr.smith', 1);
    expect(stateOf(segs)).toBe('signed-off');
    segs = withdraw(segs, flagged.id);
    expect(stateOf(segs)).toBe('needs-review');
    segs = [...segs, correction(2, 'dr.jones', flagged)];
    expect(stateOf(segs)).toBe('corrected');
  });

  it('a sign-off belongs to one segmentation: signing the model while a correction is current leaves the scan corrected', () => {
    const m = model(0);
    const fix = correction(1, 'dr.jones', m);
    const segs = signOff([m, fix], m.id, 'dr.smith', 2);
    expect(currentOf(segs)?.id).toBe(fix.id);
    expect(stateOf(segs)).toBe('corrected');
    expect(segs.find((s) => s.id === m.id)?.signOff?.by).toBe('dr.smith');
  });

  it('a signed-off model output is not current once a newer version runs: that one is not reviewed', () => {
    const old = model(0);
    let segs = signOff([old], old.id, 'dr.smith', 1);
    expect(resegmentQuestion(segs)).toBe(
      'This scan has a signed-off model output (model stratum-unet-light 1.1.0, signed off by dr.smith). ' +
        'Re-segmenting stores the new model output beside them and discards nothing; the new model output becomes current, not signed off.',
    );
    segs = [...segs, model(2, '2.0.0')];
    expect(stateOf(segs)).toBe('not-reviewed');
    expect(segs.find((s) => s.id === old.id)?.signOff).not.toBeNull();
  });

  it('a re-run of the same version replaced in place (createdAt moves) becomes the newest model output', () => {
    const v1 = model(0, '1.0.0');
    const v2 = model(1, '2.0.0');
    const replaced = { ...v1, createdAt: at(3) };
    expect(currentOf([v1, v2])?.id).toBe(v2.id);
    expect(currentOf([replaced, v2])?.id).toBe(v1.id);
    expect(currentOf([{ ...v1, createdAt: at(1) }, v2])?.id).toBe(v2.id); // same time: the higher id
  });

  it('the newest of several corrections is current; imported annotations never are', () => {
    const m = model(0);
    const a = correction(1, 'dr.a', m);
    const b = correction(2, 'dr.b', m);
    expect(currentOf([m, b, a])?.id).toBe(b.id);
    const gt = annotation(5);
    expect(currentOf([m, gt])?.id).toBe(m.id);
    expect(stateOf([gt])).toBe('not-segmented');
    expect(resegmentQuestion([m, a])).toContain('This scan has a correction (corrected by dr.a).');
    expect(resegmentQuestion([m, a, b])).toContain('This scan has a correction (corrected by dr.a) and a correction (corrected by dr.b).');
    expect(resegmentQuestion(signOff([m, a, b], m.id, 'dr.c', 3))).toContain('This scan has 3 corrected or signed-off segmentations.');
  });

  it('re-running one model version keeps signed-off, corrected-from and reported output, replaces plain output', () => {
    expect(keptBecause({ signedOff: false, correctedFrom: false, reported: false })).toBeNull();
    expect(keptBecause({ signedOff: true, correctedFrom: true, reported: true })).toBe('signed off');
    expect(keptBecause({ signedOff: false, correctedFrom: true, reported: false })).toBe('corrected from');
    expect(keptBecause({ signedOff: false, correctedFrom: false, reported: true })).toBe('reported');
  });
});

describe('one set of names', () => {
  it('every state has a label, a description and a colour class; labels are distinct', () => {
    const labels = REVIEW_STATES.map((s) => REVIEW_STATE_INFO[s].label);
    expect(labels).toEqual(['Needs review', 'Not reviewed', 'Corrected', 'Signed off', 'Not segmented']);
    for (const s of REVIEW_STATES) {
      expect(REVIEW_STATE_INFO[s].description.length).toBeGreaterThan(10);
      expect(REVIEW_STATE_INFO[s].colourClass).toMatch(/^review-[a-z]+$/);
    }
  });

  it('names a segmentation: the model and version, or who corrected it', () => {
    const m = model(0);
    expect(segmentationName(m)).toBe('model stratum-unet-light 1.1.0');
    expect(segmentationName(correction(1, 'dr.jones', m))).toBe('corrected by dr.jones');
    expect(segmentationName(annotation(2))).toBe('imported annotation');
    expect(signOffText({ by: 'dr.smith', at: '2026-03-01T10:06:00.000Z' })).toBe('Signed off by dr.smith · 2026-03-01 10:06');
    expect(signOffText(null)).toBe('Not signed off');
  });

  it('the quality flag speaks in the state names', () => {
    expect(qualityFlagText(true, 'needs-review')).toBe('Needs review: the quality rules raised findings a clinician must look at');
    expect(qualityFlagText(true, 'signed-off')).toContain('the scan is signed off');
    expect(qualityFlagText(false, 'not-reviewed')).toBe('No quality flags raised');
  });

  it('parses keys, labels and the unambiguous older names; not "auto", which is two states now', () => {
    expect(parseReviewState('signed-off')).toBe('signed-off');
    expect(parseReviewState('Needs review')).toBe('needs-review');
    expect(parseReviewState('reviewed')).toBe('signed-off');
    expect(parseReviewState('none')).toBe('not-segmented');
    expect(parseReviewState('corrected')).toBe('corrected');
    expect(parseReviewState('auto')).toBeNull();
  });
});
