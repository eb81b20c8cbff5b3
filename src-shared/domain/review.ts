/**
 * The review rules, written once for main, the renderer, reports, the CSV and the CLI:
 * - which segmentation of a scan is current (the one shown by default and used by tables, reports, CSV);
 * - the scan's review state, with the one table of names (label, description, colour class);
 * - a sign-off, which belongs to one segmentation (who and when);
 * - what re-segmenting keeps, and when it must ask first.
 *
 * Decisions (docs/ARCHITECTURE.md, "Review"):
 * - Current = the newest clinician's correction, else the newest model output. Imported annotations
 *   (ground truth) are shown for comparison but are never current.
 * - Re-segmenting never discards: a new model version is a new row; a re-run of the same version replaces
 *   plain output only and keeps signed-off, corrected-from and reported output as it is.
 * - A correction stays current after re-segmenting: a person's work outranks a newer model run. To build on
 *   the new output, correct it (the correction then starts from that output).
 */

/** Who signed a segmentation off, and when (ISO date-time). */
export interface SignOff {
  by: string;
  at: string;
}

/** What the rules need to know of one stored segmentation (no label map). */
export interface SegmentationFacts {
  id: number;
  kind: 'model' | 'manual';
  /** For model output, the model that made it; for a correction, the model output it started from. */
  modelId: string | null;
  modelVersion: string | null;
  /** ISO date-time it was stored (a re-run of the same model version that replaced it in place: then). */
  createdAt: string;
  /** Who corrected it, for a clinician's correction; null for model output and imported annotations. */
  correctedBy: string | null;
  signOff: SignOff | null;
  /** Flagged by the quality rules: a finding a clinician must look at (summary.flags.needsReview; its reasons in summary.flags.findings). */
  flagged: boolean;
}

export type SegmentationRole = 'model' | 'correction' | 'annotation';

export function roleOf(s: SegmentationFacts): SegmentationRole {
  if (s.kind === 'model') return 'model';
  return s.correctedBy !== null ? 'correction' : 'annotation';
}

/** Newer: stored later; the id breaks ties (ids only grow). */
function newer(a: SegmentationFacts, b: SegmentationFacts): boolean {
  return a.createdAt !== b.createdAt ? a.createdAt > b.createdAt : a.id > b.id;
}

function newest<T extends SegmentationFacts>(segs: readonly T[]): T | null {
  let best: T | null = null;
  for (const s of segs) if (best === null || newer(s, best)) best = s;
  return best;
}

/** The scan's current segmentation: the newest correction, else the newest model output; null when neither exists. */
export function currentOf<T extends SegmentationFacts>(segs: readonly T[]): T | null {
  return newest(segs.filter((s) => roleOf(s) === 'correction')) ?? newest(segs.filter((s) => roleOf(s) === 'model'));
}

export const REVIEW_STATES = ['needs-review', 'not-reviewed', 'corrected', 'signed-off', 'not-segmented'] as const;
/** A scan's review state: that of its current segmentation. */
export type ReviewState = (typeof REVIEW_STATES)[number];

export interface ReviewStateInfo {
  /** The one name shown on cards, filters, the viewer, the CLI, the PDF and the CSV's readers. */
  label: string;
  description: string;
  /** CSS class the renderer colours the state with (app.css). */
  colourClass: string;
}

export const REVIEW_STATE_INFO: Readonly<Record<ReviewState, ReviewStateInfo>> = {
  'needs-review': {
    label: 'Needs review',
    description: 'The quality rules flag the current segmentation (the reasons are listed with it) and nobody has signed it off.',
    colourClass: 'review-warn',
  },
  'not-reviewed': {
    label: 'Not reviewed',
    description: 'The current segmentation is model output that nobody has corrected or signed off.',
    colourClass: 'review-open',
  },
  corrected: {
    label: 'Corrected',
    description: "The current segmentation is a clinician's correction that nobody has signed off yet.",
    colourClass: 'review-corrected',
  },
  'signed-off': {
    label: 'Signed off',
    description: 'Someone signed off the current segmentation.',
    colourClass: 'review-done',
  },
  'not-segmented': {
    label: 'Not segmented',
    description: 'No model segmentation or correction yet.',
    colourClass: 'review-none',
  },
};

/** The review state a scan is in, given its current segmentation (see currentOf). */
export function reviewStateOf(current: SegmentationFacts | null): ReviewState {
  if (!current) return 'not-segmented';
  if (current.signOff) return 'signed-off';
  if (roleOf(current) === 'correction') return 'corrected';
  return current.flagged ? 'needs-review' : 'not-reviewed';
}

export function reviewLabel(state: ReviewState): string {
  return REVIEW_STATE_INFO[state].label;
}

/** The quality rules' verdict in the state table's words (report, CLI). */
export function qualityFlagText(flagged: boolean, state: ReviewState): string {
  if (!flagged) return 'No quality flags raised';
  if (state === 'needs-review') return `${reviewLabel(state)}: the quality rules raised findings a clinician must look at`;
  return `The quality rules raised findings on this segmentation; the scan is ${reviewLabel(state).toLowerCase()}`;
}

/** Names which segmentation it is: "model <id> <version>", "corrected by <who>" or "imported annotation". */
export function segmentationName(s: SegmentationFacts): string {
  switch (roleOf(s)) {
    case 'model':
      return `model ${s.modelId ?? 'unknown'} ${s.modelVersion ?? ''}`.trimEnd();
    case 'correction':
      return `corrected by ${s.correctedBy}`;
    default:
      return 'imported annotation';
  }
}

/** "2025-03-01 14:05" (UTC) from an ISO date-time. */
export function shortStamp(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

/** "Signed off by X · 2025-03-01 14:05", or "Not signed off". */
export function signOffText(signOff: SignOff | null): string {
  return signOff ? `Signed off by ${signOff.by} · ${shortStamp(signOff.at)}` : 'Not signed off';
}

/**
 * Why re-segmenting this scan must ask first: it names the corrections and sign-offs (kept either way) and
 * what becomes current. Null when there is nothing a person made or signed, so nothing to ask.
 */
export function resegmentQuestion(segs: readonly SegmentationFacts[]): string | null {
  const notable = segs.filter((s) => roleOf(s) === 'correction' || s.signOff !== null);
  if (notable.length === 0) return null;
  const what = (s: SegmentationFacts) => (roleOf(s) === 'correction' ? 'a correction' : `a signed-off ${roleOf(s) === 'model' ? 'model output' : 'annotation'}`);
  const describe = (s: SegmentationFacts) => `${what(s)} (${segmentationName(s)}${s.signOff ? `, signed off by ${s.signOff.by}` : ''})`;
  const has = notable.length <= 2 ? notable.map(describe).join(' and ') : `${notable.length} corrected or signed-off segmentations`;
  const current = currentOf(segs);
  const after =
    current && roleOf(current) === 'correction'
      ? `the correction (${segmentationName(current)}) stays current`
      : 'the new model output becomes current, not signed off';
  return `This scan has ${has}. Re-segmenting stores the new model output beside them and discards nothing; ${after}.`;
}

/** What storing a model version's output again does (see SegmentationsRepo.saveModelSegmentation). */
export type ModelSaveOutcome = 'added' | 'replaced' | 'kept';

/**
 * The rule that keeps re-running a model version idempotent without losing clinical evidence: the earlier
 * output of the same version is kept as it is when it is signed off, the base of a correction or in a
 * report (the same version on the same image gives the same result); otherwise it may be replaced in
 * place. Returns why it is kept, or null when it may be replaced.
 */
export function keptBecause(earlier: { signedOff: boolean; correctedFrom: boolean; reported: boolean }): 'signed off' | 'corrected from' | 'reported' | null {
  if (earlier.signedOff) return 'signed off';
  if (earlier.correctedFrom) return 'corrected from';
  return earlier.reported ? 'reported' : null;
}

/** Older names for the states that scripts may still pass (`--review reviewed`); 'auto' split into two states. */
const OLD_NAMES: Readonly<Record<string, ReviewState>> = { none: 'not-segmented', reviewed: 'signed-off' };

/** A state key from what a person typed (a key, a label, or an unambiguous older name); null when none matches. */
export function parseReviewState(text: string): ReviewState | null {
  const t = text.trim().toLowerCase();
  const key = t.replace(/\s+/g, '-');
  if ((REVIEW_STATES as readonly string[]).includes(key)) return key as ReviewState;
  return OLD_NAMES[t] ?? null;
}
