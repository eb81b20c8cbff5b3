import { AppError } from '../../../src-shared/contract';
import type { ScanFilter, ScanRecord } from '../../../src-shared/domain/catalog';
import { reviewStateOf, segmentationName } from '../../../src-shared/domain/review';
import type { SegmentationSummary } from '../../../src-shared/domain/segmentation';
import { needsReview } from '../../../src-shared/analysis/segmentation/quality';
import { eyeOfScan } from '../segmentation/scan-scale';
import type { ImageLibrary } from '../catalog/library';
import type { PatientsRepo } from '../catalog/patients';
import type { ScansRepo } from '../catalog/scans';
import type { SegmentationsRepo, StoredSegmentation } from '../catalog/segmentations';
import { basename } from 'node:path';
import { prepareReportImage } from './render';
import { decodeLabelMap } from '../catalog/label-map-png';
import type { ReportInput, ReportReview, ReportScanInfo } from './report-input';
import type { ExportScan } from './thickness-export';

/** The catalog parts reports read (a subset of the service container). */
export interface ReportCatalog {
  scans: ScansRepo;
  patients: PatientsRepo;
  segmentations: SegmentationsRepo;
  library: ImageLibrary;
}

export function scanInfo(catalog: ReportCatalog, scan: ScanRecord): ReportScanInfo {
  const patient = scan.patientId === null ? null : catalog.patients.get(scan.patientId);
  return {
    scanId: scan.id,
    name: basename(scan.originalPath),
    patient: patient
      ? { externalId: patient.externalId, name: patient.name, birthDate: patient.birthDate, sex: patient.sex }
      : { externalId: scan.patientExternalId, name: scan.patientName },
    eye: eyeOfScan(scan),
    acquiredAt: scan.acquiredAt,
    device: scan.device,
    protocol: scan.protocol,
  };
}

/** The review block of a report or an export row for one stored segmentation (normally the scan's current one). */
export function reviewOf(seg: StoredSegmentation): ReportReview {
  const c = seg.summary?.correction;
  return {
    state: reviewStateOf(seg),
    segmentation: segmentationName(seg),
    segmentationId: seg.id,
    correction: seg.correctedBy !== null ? { changedShare: c?.changedShare ?? null } : null,
    signOff: seg.signOff,
    inCatalog: true,
  };
}

/** The review block for a bare image's model output, segmented outside the catalog (never signed off). */
export function reviewOfBareOutput(summary: SegmentationSummary): ReportReview {
  const facts = { id: 0, kind: 'model' as const, modelId: summary.model.id, modelVersion: summary.model.version, createdAt: '', correctedBy: null, signOff: null, flagged: needsReview(summary.flags) };
  return { state: reviewStateOf(facts), segmentation: segmentationName(facts), segmentationId: null, correction: null, signOff: null, inCatalog: false };
}

/** The scan's current segmentation (domain/review.ts) with its summary; NOT_FOUND when there is none. */
export function currentSegmentation(catalog: ReportCatalog, scanId: number): StoredSegmentation & { summary: NonNullable<StoredSegmentation['summary']> } {
  const seg = catalog.segmentations.currentSegmentation(scanId);
  if (!seg) throw new AppError('NOT_FOUND', `Scan ${scanId} has no segmentation yet; segment it before making a report.`, { scanId });
  if (!seg.summary) throw new AppError('NOT_FOUND', `Scan ${scanId}'s segmentation has no thickness summary yet.`, { scanId, segmentationId: seg.id });
  return seg as StoredSegmentation & { summary: NonNullable<StoredSegmentation['summary']> };
}

/** Everything a single-scan report needs, read from the catalog. */
export async function reportInputForScan(catalog: ReportCatalog, scanId: number, appVersion: string, reportDate = new Date().toISOString()): Promise<ReportInput> {
  const scan = catalog.scans.require(scanId);
  const seg = currentSegmentation(catalog, scanId);
  const labelMap = await decodeLabelMap(seg.labelMapPng, seg.summary.width, seg.summary.height);
  const image = await prepareReportImage(catalog.library.read(scan.storedFile));
  return { scan: scanInfo(catalog, scan), image, labelMap, summary: seg.summary, review: reviewOf(seg), appVersion, reportDate };
}

/** The current segmentations' summaries for a selection (scans without a summarised one are skipped and listed). */
export function exportScansFor(catalog: ReportCatalog, filter: ScanFilter): { items: ExportScan[]; skipped: number[] } {
  const items: ExportScan[] = [];
  const skipped: number[] = [];
  for (const scan of catalog.scans.each(filter)) {
    const seg = catalog.segmentations.currentSegmentation(scan.id);
    if (!seg?.summary) {
      skipped.push(scan.id);
      continue;
    }
    items.push({ scan: scanInfo(catalog, scan), summary: seg.summary, review: reviewOf(seg) });
  }
  return { items, skipped };
}
