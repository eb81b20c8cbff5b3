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

export interface ReportReview {
  status: 'auto' | 'reviewed' | 'corrected' | 'not in catalog';
  reviewedBy?: string | null;
  reviewedAt?: string | null;
  /** Share (0..1) of the label map changed by manual correction, when known. */
  correctedShare?: number | null;
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
