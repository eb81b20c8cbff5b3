import { z } from 'zod';
import { channel } from '../define';
import { scanFilterSchema } from './catalog';
import { SEGMENT_SCOPES } from '../../domain/scan-selection';

/**
 * Bulk actions over a selection of catalog scans (domain/scan-selection.ts): the ids a person ticked, or
 * every scan matching a filter ("select all N matching"), resolved in main when the action starts.
 * Each action is a job (progress, cancel; its result type is in JobResults, channels/jobs.ts).
 */
const scanId = z.number().int().positive();
const ids = z.array(scanId).max(1_000_000);
const paper = z.enum(['a4', 'letter']);

/** The list filter without paging or order: what "all matching" means. */
export const scanCriteriaSchema = scanFilterSchema.omit({ offset: true, limit: true, sort: true, order: true });

export const scanSelectionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ids'), ids: ids.min(1) }).strict(),
  z.object({ kind: z.literal('filter'), filter: scanCriteriaSchema, except: ids.optional() }).strict(),
]);

const selection = z.object({ selection: scanSelectionSchema });

/** How many scans a selection covers, and of them how many have no segmentation and how many are in the trash. */
export interface SelectionCount {
  scans: number;
  unsegmented: number;
  inTrash: number;
}

/** `bulk.segment`: the scans segmented, those left out (already segmented, scope 'unsegmented') and those that failed. */
export interface BulkSegmentResult {
  segmented: number[];
  skipped: number[];
  failed: { scanId: number; message: string }[];
}

/** `bulk.exportCsv`: the file written, its rows and the scans left out (no segmentation with a summary). */
export interface BulkExportResult {
  path: string;
  format: 'csv' | 'json';
  rows: number;
  scans: number;
  skipped: number[];
}

/** `bulk.tag`: the scans whose tags changed; `unchanged` already had (or lacked) the tag. */
export interface BulkTagResult {
  tag: string;
  removed: boolean;
  changed: number[];
  unchanged: number;
}

/** `bulk.delete` / `bulk.restore`: the scans moved into or out of the trash; `unchanged` were there already. */
export interface BulkTrashResult {
  scanIds: number[];
  unchanged: number;
}

/**
 * `bulk.purge`: the scans removed for good (rows, segmentations, series, report records); library files
 * no other scan uses are deleted, the others kept. Scans not in the trash are never purged.
 */
export interface BulkPurgeResult {
  purged: number[];
  notInTrash: number[];
  filesRemoved: number;
  filesKept: number;
}

export const bulkChannels = {
  'bulk.count': channel<SelectionCount>()({
    description: 'How many scans a selection covers now, how many of them are not segmented and how many are in the trash.',
    request: selection.strict(),
  }),
  'bulk.resolve': channel<{ ids: number[] }>()({
    description: "The ids a selection covers now, in id order (for an action that takes ids, such as catalog.updateScans). TOO_LARGE above `max`.",
    request: selection.extend({ max: z.number().int().min(1).max(5000) }).strict(),
    errors: ['TOO_LARGE'],
  }),
  'bulk.segment': channel<{ jobId: string }>()({
    description:
      'Segments every selected scan (scope "all") or only those without a segmentation ("unsegmented"), as one job. ' +
      'Corrected or signed-off scans ask first (CONFIRMATION_REQUIRED naming them) unless `force`; nothing is discarded either way.',
    request: selection.extend({ scope: z.enum(SEGMENT_SCOPES), force: z.boolean().optional() }).strict(),
    errors: ['NOT_FOUND', 'CONFIRMATION_REQUIRED', 'MODEL_UNAVAILABLE'],
  }),
  'bulk.report': channel<{ jobId: string }>()({
    description: 'One combined PDF (or one PDF per scan) for every selected scan, as a reports.batch job; scans without a segmentation are listed as failed.',
    request: selection.extend({ combined: z.boolean(), paper: paper.optional() }).strict(),
    errors: ['NOT_FOUND', 'TOO_LARGE', 'IO'],
  }),
  'bulk.exportCsv': channel<{ jobId: string }>()({
    description: "The thickness table (reports.exportCsv's rows) of every selected scan into the data folder's reports/, as a job.",
    request: selection.extend({ format: z.enum(['csv', 'json']).optional() }).strict(),
    errors: ['NOT_FOUND', 'IO'],
  }),
  'bulk.tag': channel<{ jobId: string }>()({
    description: 'Adds a tag to every selected scan, or removes it (`remove`), as a job; audited per scan.',
    request: selection.extend({ tag: z.string().min(1).max(100), remove: z.boolean().optional() }).strict(),
    errors: ['NOT_FOUND'],
  }),
  'bulk.delete': channel<{ jobId: string }>()({
    description: 'Moves every selected scan to the trash (soft delete: hidden from lists, restorable), as a job; audited per scan.',
    request: selection.strict(),
    errors: ['NOT_FOUND'],
  }),
  'bulk.restore': channel<{ jobId: string }>()({
    description: 'Brings every selected scan back from the trash, as a job; audited per scan.',
    request: selection.strict(),
    errors: ['NOT_FOUND'],
  }),
  'bulk.purge': channel<{ jobId: string }>()({
    description:
      'Removes the selected scans that are in the trash for good: their rows, segmentations, series and report records, and the library ' +
      'files no other scan uses. Cannot be undone, so the request must carry confirm: true (the app asks first). Audited per scan.',
    request: selection.extend({ confirm: z.literal(true) }).strict(),
    errors: ['NOT_FOUND'],
  }),
} as const;
