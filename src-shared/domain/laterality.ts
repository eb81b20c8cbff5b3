/**
 * Which eye a scan shows: the one type for it across catalog, import, analysis and reports.
 * 'unknown' is a real value (a bare image, a file name without OD/OS), not a missing one.
 *
 * `EyeAssessment` records where a value came from and how sure it is; `Laterality` stays the value's type.
 */
export const LATERALITIES = ['OD', 'OS', 'unknown'] as const;
export type Laterality = (typeof LATERALITIES)[number];

/** A laterality that is known: what nasal/temporal zones are laid out for. */
export type KnownLaterality = Exclude<Laterality, 'unknown'>;

/**
 * Where a scan's eye came from, strongest first (the order `inferEye` applies them in):
 * the vendor file's header, an import manifest, a person, the burned-in orientation marker of a
 * screen export, the anatomy of the segmentation (thicker NFL and the optic disc on the nasal side).
 */
export const EYE_SOURCES = ['file', 'manifest', 'user', 'marker', 'anatomy'] as const;
export type EyeSource = (typeof EYE_SOURCES)[number];

/** A scan's eye with its evidence: `source` and `confidence` are null exactly when `value` is 'unknown'. */
export interface EyeAssessment {
  value: Laterality;
  source: EyeSource | null;
  /** 0..1; 1 for a stated source (file, manifest, user), the detector's own confidence otherwise. */
  confidence: number | null;
}

export const UNKNOWN_EYE: EyeAssessment = Object.freeze({ value: 'unknown', source: null, confidence: null });

/** A side of the B-scan image as displayed (column 0 on the left). */
export type ImageSide = 'left' | 'right';

/**
 * The display convention, in one place. Heidelberg and Zeiss show a horizontal B-scan as the fundus is
 * seen from in front (the examiner facing the patient; the fundus photo's left is the image's left).
 * The optic disc, which is nasal, then lies right of the fovea for a right eye: in a right-eye fundus
 * photo the disc is on the right. So nasal on the image's right means OD, nasal on the left means OS.
 * Cross-checked with the Spectralis line scan in ../shared/data/formats/spectralis-vol: its header
 * says OD and its optic disc is at the right end of the B-scan.
 */
export function eyeForNasalSide(side: ImageSide): KnownLaterality {
  return side === 'right' ? 'OD' : 'OS';
}

/** The image side nasal is on for a known eye (the inverse of eyeForNasalSide). */
export function nasalSideOf(eye: KnownLaterality): ImageSide {
  return eye === 'OD' ? 'right' : 'left';
}

/** How each source is named to people (viewer, reports, CLI). */
export const EYE_SOURCE_LABELS: Record<EyeSource, string> = {
  file: 'from the file header',
  manifest: 'from the import manifest or file name',
  user: 'set by a user',
  marker: 'read from the orientation marker',
  anatomy: 'inferred from anatomy (NFL, optic disc)',
};

/** "OD (right)", "OS (left)" or "unknown". */
export function eyeName(value: Laterality): string {
  return value === 'OD' ? 'OD (right)' : value === 'OS' ? 'OS (left)' : 'unknown';
}

/** How sure a detected eye is, "97 %"; null for a stated one (file, manifest, user). */
function detectedConfidence(eye: EyeAssessment): string | null {
  return eye.source === 'marker' || eye.source === 'anatomy' ? `${Math.round((eye.confidence ?? 0) * 100)} %` : null;
}

/**
 * For people. Long: "OS (left), read from the orientation marker (97 %)". Short (table cells, headers):
 * "OS (left) · marker 97 %". Unknown: "unknown" (long: says the zones are named by image side).
 */
export function describeEye(eye: EyeAssessment, form: 'long' | 'short' = 'long'): string {
  if (eye.value === 'unknown' || eye.source === null) return form === 'long' ? 'unknown: zones are named by the image left and right' : 'unknown';
  const sure = detectedConfidence(eye);
  if (form === 'short') return `${eyeName(eye.value)} · ${eye.source}${sure ? ` ${sure}` : ''}`;
  return `${eyeName(eye.value)}, ${EYE_SOURCE_LABELS[eye.source]}${sure ? ` (${sure})` : ''}`;
}
