import { LAYERS } from '../../../src-shared/domain/layers';
import { csvRow } from '../../../src-shared/text/csv';
import { ZONE_KEYS, type SegmentationSummary } from '../../../src-shared/domain/segmentation';
import { currentEye } from '../../../src-shared/analysis/laterality';
import { zoneName } from '../../../src-shared/analysis/segmentation';
import { roundThickness } from './format';
import type { ReportReview, ReportScanInfo } from './report-input';

/** One scan's summary as the exports see it. */
export interface ExportScan {
  scan: ReportScanInfo;
  summary: SegmentationSummary;
  review: ReportReview;
}

/** One row per scan x zone x layer (layers NFL..Choroid then TRT). Thickness rounded like the report. */
export interface ThicknessRow {
  scan_id: string;
  scan_name: string;
  patient_id: string;
  /** OD, OS or unknown: the eye the zone names follow. */
  eye: string;
  /** Where the eye came from (file, manifest, user, marker, anatomy); empty when unknown. */
  eye_source: string;
  /** 0..1; 1 for a stated eye, the detector's confidence for marker/anatomy; null when unknown. */
  eye_confidence: number | null;
  acquired_at: string;
  layer: string;
  /** temporalOuter..nasalOuter with a known eye; leftOuter..rightOuter (image sides) while it is unknown. */
  zone: string;
  thickness: number | null;
  unit: 'um' | 'px';
  scale_provenance: string;
  axial_um_per_px: number | null;
  model_id: string;
  model_version: string;
  model_trained: boolean;
  /** The scan's review state key (domain/review.ts REVIEW_STATES), e.g. 'signed-off'. */
  review_state: string;
  /** Which segmentation the row's numbers come from: "model <id> <version>" or "corrected by <who>". */
  segmentation: string;
  segmentation_id: number | null;
  signed_off_by: string;
  signed_off_at: string;
}

export const THICKNESS_COLUMNS: readonly (keyof ThicknessRow)[] = [
  'scan_id',
  'scan_name',
  'patient_id',
  'eye',
  'eye_source',
  'eye_confidence',
  'acquired_at',
  'layer',
  'zone',
  'thickness',
  'unit',
  'scale_provenance',
  'axial_um_per_px',
  'model_id',
  'model_version',
  'model_trained',
  'review_state',
  'segmentation',
  'segmentation_id',
  'signed_off_by',
  'signed_off_at',
];

export function thicknessRows(items: readonly ExportScan[]): ThicknessRow[] {
  const rows: ThicknessRow[] = [];
  for (const { scan, summary: s, review } of items) {
    const eye = currentEye(scan.eye, s.eye);
    const series = [
      ...LAYERS.map((l) => ({ key: l.key as string, t: s.layers.find((x) => x.layer === l.key) })),
      { key: 'TRT', t: s.total },
    ];
    for (const { key, t } of series) {
      for (const zone of ZONE_KEYS) {
        rows.push({
          scan_id: scan.scanId === undefined ? '' : String(scan.scanId),
          scan_name: scan.name,
          patient_id: scan.patient?.externalId ?? '',
          eye: eye.value,
          eye_source: eye.source ?? '',
          eye_confidence: eye.confidence,
          acquired_at: scan.acquiredAt ?? '',
          layer: key,
          zone: zoneName(zone, eye.value),
          thickness: t ? roundThickness(t.zoneMeans[zone]) : null,
          unit: t?.unit ?? s.total.unit,
          scale_provenance: s.scale.provenance,
          axial_um_per_px: s.scale.provenance === 'unknown' ? null : s.scale.axialUmPerPx,
          model_id: s.model.id,
          model_version: s.model.version,
          model_trained: s.model.trained,
          review_state: review.state,
          segmentation: review.segmentation,
          segmentation_id: review.segmentationId,
          signed_off_by: review.signOff?.by ?? '',
          signed_off_at: review.signOff?.at ?? '',
        });
      }
    }
  }
  return rows;
}

/**
 * CSV (RFC 4180, comma, "\n" line ends, UTF-8 without BOM): a header row, then one row per scan x zone x
 * layer. Missing values are empty cells (pandas reads NaN). The unit is a column: 'um' (micrometres) or
 * 'px' (pixels, scale unknown). Text cells go through the one CSV encoder (formula injection neutralised).
 */
export function thicknessCsv(rows: readonly ThicknessRow[]): string {
  const lines = [csvRow(THICKNESS_COLUMNS)];
  for (const r of rows) lines.push(csvRow(THICKNESS_COLUMNS.map((c) => r[c])));
  return `${lines.join('\n')}\n`;
}

/** JSON: an array of row records (pandas.read_json(path) loads it as is). */
export function thicknessJson(rows: readonly ThicknessRow[]): string {
  return `${JSON.stringify(rows, null, 1)}\n`;
}
