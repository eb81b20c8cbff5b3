/**
 * Segmenting a series (issue 16): every B-scan of a volume, line or radial scan through the one
 * inference worker, each stored as its own segmentation of that B-scan. Progress per B-scan; a cancel
 * stops at the next B-scan; a run started again resumes where the last stopped: B-scans that already
 * hold output of the same model version are skipped, never redone.
 */
import { AppError } from '../../../src-shared/contract';
import type { SegmentJobResult } from '../../../src-shared/contract/channels/jobs';
import type { JobContext } from '../../jobs/job-runner';
import type { CatalogService } from '../catalog/catalog-service';
import type { ImageLibrary } from '../catalog/library';
import { encodeLabelPng } from '../catalog/label-map-png';
import type { ScansRepo } from '../catalog/scans';
import type { SegmentationsRepo } from '../catalog/segmentations';
import type { SeriesRepo } from '../catalog/series';
import { eyeOfScan, scaleOfScan } from './scan-scale';
import type { SegmentationService } from './segmentation-service';

export interface SeriesSegmentationDeps {
  segmentation: SegmentationService;
  scans: ScansRepo;
  segmentations: SegmentationsRepo;
  series: SeriesRepo;
  library: ImageLibrary;
  /** Told once per run which scan changed (catalog.changed), also when the run stops part-way. */
  catalog: Pick<CatalogService, 'changed'>;
}

/** What segmenting a series did, by B-scan. */
export interface SeriesRun extends SegmentJobResult {
  bscans: { total: number; segmented: number; skipped: number };
}

/** B-scans read and queued at once: the next one decodes while the worker runs the network. */
const IN_FLIGHT = 2;

export async function segmentSeries(deps: SeriesSegmentationDeps, scanId: number, ctx?: JobContext): Promise<SeriesRun> {
  const { segmentation, scans, segmentations, series, library } = deps;
  const scan = scans.require(scanId);
  const status = await segmentation.load();
  if (!status.model) throw new AppError('MODEL_UNAVAILABLE', status.problem ?? 'No segmentation model is available');
  segmentations.registerModel({ ...status.model });
  const model = { id: status.model.id, version: status.model.version };
  const indices = series.bscanIndices(scanId);
  const already = segmentations.bscansSegmentedBy(scanId, model);
  const todo = indices.filter((i) => !already.has(i));
  const total = indices.length;
  let done = total - todo.length;
  await ctx?.progress(done / total, 'Segmenting', already.size ? `B-scan ${done}/${total} (resuming: ${already.size} done before)` : `B-scan 0/${total}`);
  const scale = scaleOfScan(scan);
  const eye = eyeOfScan(scan);
  let first: SegmentJobResult | null = null;
  let next = 0;
  const run = async () => {
    while (next < todo.length) {
      const index = todo[next++]!;
      const image = library.read(series.bscanFile(scanId, index).storedFile);
      const r = await segmentation.segmentImage(image, { scale, eye, signal: ctx?.signal });
      const m = r.summary.model;
      const saved = segmentations.saveModelSegmentation({
        scanId, bscanIndex: index, kind: 'model', model: { id: m.id, version: m.version }, labelMapPng: await encodeLabelPng(r.labels, r.width, r.height), summary: r.summary,
      });
      // the middle B-scan of a macular volume runs through the fovea: the best evidence of the eye
      if (index === indices[Math.floor(total / 2)] || total === 1) scans.recordDetectedEye(scanId, r.summary.eye);
      if (index === indices[0] || !first) first = { scanId, segmentationId: saved.id, outcome: saved.outcome };
      done++;
      await ctx?.progress(done / total, 'Segmenting', `B-scan ${done}/${total}`);
    }
  };
  const workers = Array.from({ length: Math.min(IN_FLIGHT, Math.max(1, todo.length)) }, run);
  // one failing B-scan ends the run; the others' results are stored, so a new run resumes after them
  const settled = await Promise.allSettled(workers);
  if (first) deps.catalog.changed('segment', [scanId]);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  const stored = first ?? storedFirst(segmentations, scanId, indices[0] ?? 0);
  return { ...stored, bscans: { total, segmented: todo.length, skipped: already.size } };
}

/** Nothing left to do: the run's answer is B-scan 0's stored segmentation, kept as it was. */
function storedFirst(segmentations: SegmentationsRepo, scanId: number, index: number): SegmentJobResult {
  const seg = segmentations.latestSegmentation(scanId, 'model', index);
  if (!seg) throw new AppError('NOT_FOUND', `Scan ${scanId} has no segmentation of B-scan ${index}`, { scanId });
  return { scanId, segmentationId: seg.id, outcome: 'kept' };
}

/**
 * Segments catalog scans after an import (`import --segment`): plain images and one-B-scan series in one
 * batch (SegmentationService.segmentScans), a series of several B-scans B-scan by B-scan. Returns how many
 * scans were segmented; one that fails is left out and the rest carry on.
 */
export async function segmentImported(deps: SeriesSegmentationDeps, scanIds: number[]): Promise<number> {
  const many = (id: number) => deps.scans.require(id).bscanCount > 1;
  const singles = scanIds.filter((id) => !many(id));
  let count = singles.length ? (await deps.segmentation.segmentScans(singles, undefined, { continueOnError: true })).length : 0;
  for (const id of scanIds.filter(many)) {
    try {
      await segmentSeries(deps, id);
      count++;
    } catch (error) {
      if (error instanceof AppError && error.code === 'MODEL_UNAVAILABLE') throw error;
    }
  }
  return count;
}
