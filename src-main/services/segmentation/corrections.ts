/**
 * Clinicians' boundary corrections: the edited label map becomes a new manual segmentation with its own
 * thickness summary, linked to the model segmentation it started from and carrying the share changed
 * (APOSTEL 2.0 asks reports to state how much was corrected by hand). The model's row stays as it was;
 * the correction becomes the scan's current segmentation (domain/review.ts).
 */
import { AppError } from '../../../src-shared/contract';
import { changedShare } from '../../../src-shared/analysis/boundary-edit';
import { round } from '../../../src-shared/analysis/numbers';
import { summariseSegmentation } from '../../../src-shared/analysis/segmentation';
import { CLASS_COUNT } from '../../../src-shared/domain/layers';
import { currentActor } from '../catalog/audit';
import { decodeLabelMap, encodeLabelPng } from '../catalog/label-map-png';
import type { ScansRepo } from '../catalog/scans';
import type { SegmentationsRepo, StoredSegmentation } from '../catalog/segmentations';
import { eyeOfScan, scaleOfScan } from './scan-scale';

export interface CorrectionRequest {
  scanId: number;
  baseSegmentationId: number;
  /** Row-major class indices, one byte per pixel, the scan's size. */
  labels: Uint8Array;
  actor?: string;
}

export async function saveCorrection(
  repos: { scans: ScansRepo; segmentations: SegmentationsRepo },
  req: CorrectionRequest,
): Promise<StoredSegmentation> {
  const scan = repos.scans.require(req.scanId);
  const base = repos.segmentations.get(req.baseSegmentationId);
  if (!base || base.scanId !== scan.id) {
    throw new AppError('NOT_FOUND', `Segmentation ${req.baseSegmentationId} is not a segmentation of scan ${scan.id}.`, { scanId: scan.id, segmentationId: req.baseSegmentationId });
  }
  const { width, height } = scan;
  if (req.labels.length !== width * height) {
    throw new AppError('BAD_INPUT', `The corrected label map has ${req.labels.length} pixels; scan ${scan.id} is ${width}x${height} (${width * height}).`, { scanId: scan.id });
  }
  const bad = req.labels.findIndex((v) => v >= CLASS_COUNT);
  if (bad >= 0) {
    throw new AppError('BAD_INPUT', `The corrected label map has class ${req.labels[bad]} at column ${bad % width}, row ${Math.floor(bad / width)}; classes run 0-${CLASS_COUNT - 1}.`, { scanId: scan.id });
  }
  const baseLabels = await decodeLabelMap(base.labelMapPng, width, height);
  const changed = changedShare(baseLabels, req.labels);
  const actor = req.actor ?? currentActor();
  const summary = summariseSegmentation({
    labels: req.labels,
    width,
    height,
    confidence: null,
    scale: scaleOfScan(scan),
    eye: eyeOfScan(scan),
    model: base.summary?.model ?? { id: base.modelId ?? 'unknown', version: base.modelVersion ?? '', name: base.modelId ?? 'unknown', trained: true },
    engine: base.summary?.engine ?? { engine: 'manual', executionProvider: 'none' },
    orderRepair: { columns: 0, pixels: 0 },
  });
  summary.correction = { baseSegmentationId: base.id, changedShare: round(changed.share, 6), changedPixels: changed.pixels, correctedBy: actor };
  const id = repos.segmentations.saveSegmentation({
    scanId: scan.id,
    kind: 'manual',
    model: base.modelId ? { id: base.modelId, version: base.modelVersion ?? '' } : null,
    labelMapPng: await encodeLabelPng(req.labels, width, height),
    summary,
    actor,
    // a correction belongs to the B-scan its base segments (a series' B-scans share the scan's size)
    bscanIndex: base.bscanIndex,
  });
  return repos.segmentations.get(id)!;
}
