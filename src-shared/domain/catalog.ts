import { UNKNOWN_EYE, type EyeAssessment, type EyeSource, type Laterality } from './laterality';
import type { ReviewState } from './review';
import type { ScaleProvenance } from './segmentation';
import type { ImportFileEntry, SeriesKind } from './series';

/** The catalog's view of patients, scans and imports, as it crosses the IPC boundary. */

export interface PatientRecord {
  id: number;
  externalId: string;
  name: string | null;
  birthDate: string | null;
  sex: string | null;
  scanCount: number;
}

export interface ScanRecord {
  id: number;
  patientId: number | null;
  patientExternalId: string | null;
  patientName: string | null;
  eye: Laterality;
  /** Where `eye` came from (file header, manifest or file name, user, orientation marker, anatomy); null while unknown. */
  eyeSource: EyeSource | null;
  /** 0..1: 1 for a stated eye, the detector's confidence for 'marker' and 'anatomy'; null while unknown. */
  eyeConfidence: number | null;
  acquiredAt: string | null;
  device: string | null;
  protocol: string | null;
  tags: string[];
  width: number;
  height: number;
  axialUmPerPx: number | null;
  lateralUmPerPx: number | null;
  scaleProvenance: ScaleProvenance;
  scaleSource: string | null;
  originalPath: string;
  sha256: string;
  /** Relative to the data folder's library, e.g. `ab/ab12...ef.jpeg`. */
  storedFile: string;
  mime: string;
  bytes: number;
  importedAt: string;
  deletedAt: string | null;
  /** The review state of the scan's current segmentation (domain/review.ts); 'not-segmented' when it has none. */
  reviewState: ReviewState;
  /** The quality rules flag its current segmentation (domain/review.ts 'needs-review' until signed off). */
  flagged: boolean;
  /** Why: the current segmentation's quality findings in words ([] when not flagged). */
  flagReasons: string[];
  /** A series of B-scans (domain/series.ts): 'single' for a plain image; `width`/`height` are each B-scan's. */
  kind: SeriesKind;
  bscanCount: number;
}

/** The list's orders; the list view's columns sort by eye, device, kind, review state and flag too. */
export const SCAN_SORT_KEYS = ['importedAt', 'acquiredAt', 'patient', 'id', 'eye', 'device', 'kind', 'reviewState', 'flagged'] as const;
export type ScanSortKey = (typeof SCAN_SORT_KEYS)[number];

/** A scan record's eye as one assessment (the catalog keeps value, source and confidence in three columns). */
export function eyeOfRecord(scan: Pick<ScanRecord, 'eye' | 'eyeSource' | 'eyeConfidence'>): EyeAssessment {
  if (scan.eye === 'unknown') return { ...UNKNOWN_EYE };
  return { value: scan.eye, source: scan.eyeSource ?? 'manifest', confidence: scan.eyeConfidence ?? 1 };
}

export interface ScanFilter {
  patientId?: number;
  /** Matches patients.external_id exactly. */
  patient?: string;
  eye?: Laterality;
  tag?: string;
  /** Inclusive ISO dates (YYYY-MM-DD or full ISO) on the acquisition date. */
  dateFrom?: string;
  dateTo?: string;
  reviewState?: ReviewState;
  /** Case-insensitive substring of original path, patient id/name, device, tags. */
  text?: string;
  flagged?: boolean;
  includeDeleted?: boolean;
  /** Only soft-deleted scans: the trash (restore or purge them from there). */
  trash?: boolean;
  offset?: number;
  limit?: number;
  sort?: ScanSortKey;
  order?: 'asc' | 'desc';
}

export interface ScanPage {
  items: ScanRecord[];
  /** Matching scans; a lower bound when `totalExact` is false (counting stops at 10,000). */
  total: number;
  totalExact: boolean;
  offset: number;
  limit: number;
}

export interface CatalogStats {
  scans: number;
  deletedScans: number;
  patients: number;
  segmentations: number;
  byEye: Record<Laterality, number>;
  byTag: Record<string, number>;
  byReviewState: Record<ReviewState, number>;
}

export type ImportFailureCode =
  | 'EMPTY_FILE'
  | 'UNREADABLE_IMAGE'
  | 'TRUNCATED'
  | 'TOO_LARGE'
  | 'BAD_MANIFEST_ROW'
  | 'UNREADABLE_FOLDER'
  | 'UNREADABLE_FILE'
  | 'MISSING_FILE'
  | 'UNSUPPORTED_TYPE'
  /** A manifest row's patient fields differ from those the catalog (or an earlier row) has for its patient_id. */
  | 'PATIENT_CONFLICT'
  | 'IO';

export interface ImportFailure {
  path: string;
  code: ImportFailureCode;
  /** Says what and where; never a patient's name, birth date or id (row numbers and field names only). */
  message: string;
  /** The manifest line, for a row of a manifest. */
  line?: number;
  /** The manifest fields at fault (PATIENT_CONFLICT: 'name', 'birth_date'). */
  fields?: string[];
}

/**
 * What import does when a manifest row names a known patient_id with a different name or birth date:
 * 'refuse' (the default) imports nothing from that row and reports PATIENT_CONFLICT; 'keep' attaches the
 * scan and keeps the catalog's details; 'update' attaches it and replaces them with the row's (audited).
 * A field empty on either side is no conflict (an empty catalog field is filled, as always).
 */
export const PATIENT_CONFLICT_POLICIES = ['refuse', 'keep', 'update'] as const;
export type PatientConflictPolicy = (typeof PATIENT_CONFLICT_POLICIES)[number];

/** Something found but not imported on purpose (not a failure): a .gif, a symbolic link, a socket. */
export interface ImportSkip {
  path: string;
  reason: 'NOT_AN_IMAGE_TYPE' | 'SYMLINK' | 'NOT_A_FILE';
  message: string;
}

/** Imported, but worth knowing: trailing data dropped, a patient conflict resolved by the chosen policy. */
export interface ImportNotice {
  path: string;
  code: 'TRAILING_DATA_DROPPED' | 'PATIENT_CONFLICT_KEPT' | 'PATIENT_CONFLICT_UPDATED';
  message: string;
  line?: number;
  fields?: string[];
}

export interface ImportDuplicate {
  path: string;
  sha256: string;
  /** The scan already in the catalog, or the earlier file of this batch with the same content. */
  duplicateOf: { scanId: number } | { path: string };
}

export interface ImportDryRun {
  source: string;
  found: number;
  wouldImport: number;
  /** Files whose scan is in the catalog but deleted: importing them again restores that scan. */
  wouldRestore: number;
  duplicates: ImportDuplicate[];
  failed: ImportFailure[];
  skipped: ImportSkip[];
  notices: ImportNotice[];
  missingScale: number;
  /** The files that would be imported without a known pixel scale (thickness then in pixels until one is set). */
  missingScaleFiles: string[];
  unknownEye: number;
  perPatient: Record<string, number>;
  perTag: Record<string, number>;
  /** Each file that would be imported: its format, kind and B-scan count (a vendor series or an image). */
  files: ImportFileEntry[];
}

export interface ImportResult {
  source: string;
  found: number;
  imported: number;
  /** Deleted scans brought back because their file was imported again (segmentations and history kept). */
  restored: number;
  duplicates: number;
  duplicateFiles: ImportDuplicate[];
  failed: ImportFailure[];
  skipped: ImportSkip[];
  notices: ImportNotice[];
  scanIds: number[];
  missingScale: number;
  unknownEye: number;
  perPatient: Record<string, number>;
  perTag: Record<string, number>;
  /** Each file imported: its format, kind, B-scan count and the scan it became. */
  files: ImportFileEntry[];
  /** What happened to `--segment`; absent when it was not asked for. */
  /** `jobId`: the app segments the new scans as a job of its own (its live state is that job's). */
  segmentation?: { requested: true; available: boolean; message: string; queued: number; jobId?: string };
}
