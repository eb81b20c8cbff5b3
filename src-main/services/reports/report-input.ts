import type { ReviewState, SignOff } from '../../../src-shared/domain/review';
import type { EyeAssessment } from '../../../src-shared/domain/laterality';
import type { SegmentationSummary } from '../../../src-shared/domain/segmentation';

/** What the report knows about the scan and its patient; every field but `name` may be unknown. */
export interface ReportScanInfo {
  /** Catalog id, when the scan is in the catalog. */
  scanId?: number | string;
  /** Scan name shown in the header (file name for a bare image). */
  name: string;
  patient?: { externalId?: string | null; name?: string | null; birthDate?: string | null; sex?: string | null };
  /** The catalog scan's eye with its source; absent or unknown: the segmentation's (summary.eye) is used. */
  eye?: EyeAssessment | null;
  /** ISO date or date-time of acquisition. */
  acquiredAt?: string | null;
  device?: string | null;
  protocol?: string | null;
}

/** Which segmentation the report's numbers come from and where its review stands (domain/review.ts). */
export interface ReportReview {
  state: ReviewState;
  /** "model <id> <version>" or "corrected by <who>" (segmentationName). */
  segmentation: string;
  /** Catalog id of that segmentation; null for a bare image. */
  segmentationId: number | null;
  /** A correction: the share (0..1) of the labelled pixels changed from the model output it started from. */
  correction: { changedShare: number | null } | null;
  signOff: SignOff | null;
  /** False for a bare image segmented outside the catalog. */
  inCatalog: boolean;
}

/** Everything one single-scan report is composed from (the one layout source's input). */
export interface ReportInput {
  scan: ReportScanInfo;
  /** The B-scan as PNG or JPEG bytes (other formats are converted before composing). */
  image: { bytes: Uint8Array; mime: 'image/png' | 'image/jpeg' };
  /** Label map, width x height, row-major, canonical class indices (0 background, 1..8 layers). */
  labelMap: Uint8Array;
  summary: SegmentationSummary;
  review: ReportReview;
  appVersion: string;
  /** ISO date-time the report is made. */
  reportDate: string;
}
