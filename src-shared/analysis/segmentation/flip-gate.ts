/**
 * When the flip check (the network run a second time on the mirrored image, uncertainty.ts
 * flipDisagreement) is worth its cost: it doubles the network's work per image, and on a scan the first
 * pass already puts in the review queue, or one whose entropy shows the network sure of itself, it cannot
 * change the outcome. So it runs only where it decides something: an unflagged scan whose mean entropy
 * inside the retina is above the gate. scripts/flip-gate-evidence.ts measures the gate on every B-scan in
 * the shared data with the flip check forced on for all of them (the figures are in FLIP_GATE's comment).
 */
import type { QualityFlags } from '../../domain/segmentation';
import { round } from '../numbers';
import { addFinding, QUALITY_RULES } from './quality';

export const FLIP_GATE = {
  /**
   * Normalised band entropy (uncertainty.ts bandEntropy) above which an unflagged scan is mirrored: the
   * 60 normal OCTID scans' 99th percentile (0.078-0.081, int8 or float; QUALITY_RULES' basis), i.e. more doubt
   * than 99 % of normal scans. Measured with the flip check forced on for 306 B-scans (60 + 80 OCTID
   * normals, 21 OCTDL diseased, 145 Spectralis volume B-scans): flip disagreement rises with entropy; the
   * gate skips 304 of the 306, and no unflagged scan it skips came near the flip flag (largest 0.013 against
   * its 0.019); the 19 scans above 0.019 were all diseased scans the first pass had flagged already.
   */
  entropyAbove: 0.08,
};

/** Whether the first pass's result needs the mirrored run to decide its flags. */
export function needsFlipCheck(bandEntropy: number | null, flags: Pick<QualityFlags, 'needsReview'>): boolean {
  if (bandEntropy === null) return false; // no retina found: nothing to compare, and flagged already
  return !flags.needsReview && bandEntropy > FLIP_GATE.entropyAbove;
}

/**
 * Records a flip check run after the flags were first judged: its measure, and its finding when it is
 * above the rule's threshold (same rule, same wording as when it runs inside qualityFlags).
 */
export function applyFlipCheck(flags: QualityFlags, disagreement: number | null): void {
  const rule = QUALITY_RULES.flipDisagreement;
  flags.measures = { ...(flags.measures ?? {}), [rule.code]: disagreement === null ? null : round(disagreement, 5) };
  if (disagreement === null || !(disagreement > rule.above)) return;
  addFinding(flags, {
    code: rule.code, severity: rule.severity, message: rule.reason(disagreement, rule.above),
    details: { value: round(disagreement, 5), threshold: rule.above, unit: rule.unit },
  });
}
