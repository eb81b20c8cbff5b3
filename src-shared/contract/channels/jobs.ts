import { z } from 'zod';
import { channel } from '../define';
import { AppError } from '../errors';
import type { JobProgress } from '../../domain/jobs';
import type { DataFolderCheck } from '../../domain/app-info';
import type { ImportDryRun, ImportResult } from '../../domain/catalog';
import type { ModelSaveOutcome } from '../../domain/review';
import type { SegmentationSummary } from '../../domain/segmentation';
import type { ConversionReport, GreyMaskReport, ToVggReport } from '../../annotations/report';
import type { BulkExportResult, BulkPurgeResult, BulkSegmentResult, BulkTagResult, BulkTrashResult } from './bulk';

/** `segment.scan`: the one scan segmented, the segmentation stored for it and what storing did (domain/review.ts). */
export interface SegmentJobResult {
  scanId: number;
  segmentationId: number;
  outcome: ModelSaveOutcome;
  /** A series of several B-scans: how many it has, how many this run segmented and how many it skipped (done before by the same model version). */
  bscans?: { total: number; segmented: number; skipped: number };
}

/** `stratum segment` over many scans: each stored segmentation with its summary, in the order asked. */
export type SegmentBatchResult = (SegmentJobResult & { summary: SegmentationSummary })[];

/** `reports.batch`: the files written and the scans that could not be reported (e.g. not segmented). */
export interface BatchReportResult {
  files: string[];
  failed: { scanId: number; message: string }[];
}

/**
 * The result each job kind ends with: the one place a job's result type is declared. `JobRunner.start`
 * only accepts a body returning this type for its kind, and consumers read `result` through `isJobOf`.
 */
export interface JobResults {
  import: ImportResult;
  'import-dry-run': ImportDryRun;
  segment: SegmentJobResult;
  'segment-batch': SegmentBatchResult;
  'reports.batch': BatchReportResult;
  'convert-vgg': ConversionReport;
  'convert-coco': ConversionReport;
  'convert-grey-masks': GreyMaskReport;
  'convert-to-vgg': ToVggReport;
  'check-data-folder': DataFolderCheck;
  'bulk.segment': BulkSegmentResult;
  'bulk.export-csv': BulkExportResult;
  'bulk.tag': BulkTagResult;
  'bulk.delete': BulkTrashResult;
  'bulk.restore': BulkTrashResult;
  'bulk.purge': BulkPurgeResult;
}

export type JobKind = keyof JobResults;
export type JobResultOf<K extends JobKind> = JobResults[K];
/** A job of one known kind: its `result` has that kind's type. */
export type JobProgressOf<K extends JobKind> = JobProgress<K, JobResults[K]>;
/** Any job, as `jobs.get`, `jobs.list` and the `job.progress` event carry it. */
export type AnyJobProgress = JobProgress<JobKind, JobResults[JobKind]>;

/** Narrows a job to its kind, so that `result` is typed by the contract (no cast). */
export function isJobOf<K extends JobKind>(job: AnyJobProgress, kind: K): job is JobProgressOf<K> {
  return job.kind === kind;
}

/**
 * The result of a job that ended done as a `kind` job. A job that was cancelled or failed throws as it
 * ended (CANCELLED, or its own error code and message), so callers that wait for a job read it as a call.
 */
export function resultOf<K extends JobKind>(job: AnyJobProgress, kind: K): JobResultOf<K> {
  if (job.state === 'done' && isJobOf(job, kind) && job.result !== undefined) return job.result;
  if (job.state === 'cancelled') throw new AppError('CANCELLED', `${job.title}: cancelled`);
  if (job.state === 'failed') throw new AppError(job.error?.code ?? 'INTERNAL', job.error?.message ?? `${job.title} failed`);
  throw new AppError('INTERNAL', `${job.title}: ${job.state === 'done' ? `a ${job.kind} job, not ${kind}` : `still ${job.state}`}`);
}

/**
 * How many items a job that ended done could not handle (files not imported, scans not reported or not
 * segmented, library files corrupt or missing): the one rule by which a job reads "done with failures".
 */
export function failuresOf(job: AnyJobProgress): number {
  if (job.state !== 'done') return 0;
  if (isJobOf(job, 'import') || isJobOf(job, 'reports.batch') || isJobOf(job, 'bulk.segment')) return job.result?.failed.length ?? 0;
  if (isJobOf(job, 'check-data-folder') && job.result) {
    const r = job.result;
    return (r.corruptFiles?.length ?? 0) + (r.missingFiles?.length ?? 0) + (r.catalogIntegrity === 'ok' ? 0 : 1) + (r.writable ? 0 : 1);
  }
  return 0;
}

export const jobId = z.string().min(1).max(64);

export const jobChannels = {
  'jobs.list': channel<AnyJobProgress[]>()({
    description: 'All jobs of this session, newest first.',
    request: z.object({}).strict(),
  }),
  'jobs.get': channel<AnyJobProgress>()({
    description: 'One job by id.',
    request: z.object({ jobId }).strict(),
    errors: ['NOT_FOUND'],
  }),
  'jobs.cancel': channel<{ cancelled: boolean }>()({
    description: 'Asks a job to stop; it ends as "cancelled". False when it had already ended.',
    request: z.object({ jobId }).strict(),
    errors: ['NOT_FOUND'],
  }),
} as const;
