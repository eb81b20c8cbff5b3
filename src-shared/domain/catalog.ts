import type { Laterality } from './laterality';
import type { ScaleProvenance } from './segmentation';

/** The catalog's view of patients, scans and imports, as it crosses the IPC boundary. */

export type ReviewStatus = 'auto' | 'reviewed' | 'corrected';
export const REVIEW_STATUSES = ['auto', 'reviewed', 'corrected'] as const;

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
  /** Review status of the latest segmentation; null when the scan has none. */
  reviewStatus: ReviewStatus | null;
  flagged: boolean;
}

export type ScanSortKey = 'importedAt' | 'acquiredAt' | 'patient' | 'id';

export interface ScanFilter {
  patientId?: number;
  /** Matches patients.external_id exactly. */
  patient?: string;
  eye?: Laterality;
  tag?: string;
  /** Inclusive ISO dates (YYYY-MM-DD or full ISO) on the acquisition date. */
  dateFrom?: string;
  dateTo?: string;
  /** 'none' = not segmented yet. */
  reviewStatus?: ReviewStatus | 'none';
  /** Case-insensitive substring of original path, patient id/name, device, tags. */
  text?: string;
  flagged?: boolean;
  includeDeleted?: boolean;
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
  byReviewStatus: Record<ReviewStatus | 'none', number>;
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
  | 'IO';

export interface ImportFailure {
  path: string;
  code: ImportFailureCode;
  message: string;
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
  missingScale: number;
  unknownEye: number;
  perPatient: Record<string, number>;
  perTag: Record<string, number>;
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
  scanIds: number[];
  missingScale: number;
  unknownEye: number;
  perPatient: Record<string, number>;
  perTag: Record<string, number>;
  /** What happened to `--segment`; absent when it was not asked for. */
  segmentation?: { requested: true; available: boolean; message: string; queued: number };
}
