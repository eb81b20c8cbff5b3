/**
 * The one rule for a scan's eye: the strongest evidence present wins, and the result says which it was.
 *
 * 1. the vendor file's header ('file');
 * 2. a person ('user', a later and deliberate correction) or the import manifest ('manifest');
 * 3. the burned-in orientation marker of a screen export ('marker');
 * 4. the anatomy of the segmentation ('anatomy': thicker NFL and the optic disc on the nasal side);
 * 5. otherwise unknown: zones are then named by the image's left and right, never nasal or temporal.
 */
import { eyeForNasalSide, UNKNOWN_EYE, type EyeAssessment, type EyeSource, type ImageSide, type Laterality } from '../../domain/laterality';

/** What a detector read: the image side nasal is on, and how sure it is (0..1). */
export interface NasalSideReading {
  nasalSide: ImageSide;
  confidence: number;
}

export interface EyeEvidence {
  file?: Laterality | null;
  user?: Laterality | null;
  manifest?: Laterality | null;
  marker?: NasalSideReading | null;
  anatomy?: NasalSideReading | null;
}

const STATED: readonly ('file' | 'user' | 'manifest')[] = ['file', 'user', 'manifest'];
const DETECTED: readonly ('marker' | 'anatomy')[] = ['marker', 'anatomy'];

/** The eye from the strongest evidence present (a stated 'unknown' is no evidence). */
export function inferEye(evidence: EyeEvidence): EyeAssessment {
  for (const source of STATED) {
    const value = evidence[source];
    if (value === 'OD' || value === 'OS') return { value, source, confidence: 1 };
  }
  for (const source of DETECTED) {
    const reading = evidence[source];
    if (reading) return { value: eyeForNasalSide(reading.nasalSide), source, confidence: reading.confidence };
  }
  return { ...UNKNOWN_EYE };
}

/** The rank of a source in the rule above (0 strongest); what a weaker detector may not overwrite. */
export function eyeSourceRank(source: EyeSource | null): number {
  if (source === null) return Number.POSITIVE_INFINITY;
  const order: readonly EyeSource[] = [...STATED, ...DETECTED];
  return order.indexOf(source);
}

/**
 * The eye to show and name zones with for a scan: its catalog record's when known (set by the import's
 * rule, or later by a person), else the one its segmentation found (marker or anatomy), else unknown.
 */
export function currentEye(scanEye: EyeAssessment | null | undefined, summaryEye: EyeAssessment | null | undefined): EyeAssessment {
  if (scanEye && scanEye.value !== 'unknown') return scanEye;
  if (summaryEye && summaryEye.value !== 'unknown') return summaryEye;
  return { ...UNKNOWN_EYE };
}
