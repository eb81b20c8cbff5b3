import type { Command } from 'commander';
import type { z } from 'zod';
import { AppError } from '../../src-shared/contract/errors';
import { scanFilterSchema } from '../../src-shared/contract/channels/catalog';
import { parseReviewState, REVIEW_STATES, type ReviewState } from '../../src-shared/domain/review';
import type { ScanFilter } from '../../src-shared/domain/catalog';
import type { ScansRepo } from '../services/catalog/scans';

/**
 * The scan selection flags of `list`, `export-csv`, `segment` and `report`, declared once, parsed into
 * the one filter type the app's catalog sends too (contract/channels/catalog.ts scanFilterSchema), so a
 * flag selects exactly the scans the same filter selects in the app.
 */
export interface SelectionCliOptions {
  patient?: string;
  eye?: string;
  tag?: string;
  review?: string;
  from?: string;
  to?: string;
  text?: string;
  unsegmented?: boolean;
  flagged?: boolean;
  all?: boolean;
}

/** Kept for older callers: the same options. */
export type ScanFilterCliOptions = SelectionCliOptions;

const FILTER_FLAGS = ['patient', 'eye', 'tag', 'review', 'from', 'to', 'text', 'unsegmented', 'flagged'] as const;

/** --review takes a state key or label (domain/review.ts); 'auto' is gone: it was two states. */
function reviewStateOption(text: string): ReviewState {
  const state = parseReviewState(text);
  if (state) return state;
  const hint = text.trim().toLowerCase() === 'auto' ? " ('auto' is now two states: needs-review, flagged by the quality rules, and not-reviewed)" : '';
  throw new AppError('VALIDATION', `--review must be one of ${REVIEW_STATES.join(', ')}, not "${text}"${hint}`);
}

export function addSelectionOptions(command: Command): Command {
  return command
    .option('--tag <tag>', 'diagnosis tag, e.g. NORMAL')
    .option('--eye <eye>', 'OD, OS or unknown')
    .option('--patient <id>', "patient's external id")
    .option('--from <date>', 'acquired on or after (YYYY-MM-DD)')
    .option('--to <date>', 'acquired on or before (YYYY-MM-DD)')
    .option('--text <text>', 'free text in path, patient, device or tags')
    .option('--unsegmented', 'only scans without a segmentation (review state not-segmented)')
    .option('--flagged', 'only scans whose current segmentation the quality rules flag (needs review; `list` prints the reasons)')
    .option('--review <state>', `review state: ${REVIEW_STATES.join(', ')}`)
    .option('--all', 'every scan in the catalog (not deleted)');
}

/** @deprecated the same as addSelectionOptions */
export const addScanFilterOptions = addSelectionOptions;

/** Whether any selection flag (a filter or --all) was given. */
export function hasSelection(opts: SelectionCliOptions): boolean {
  return opts.all === true || FILTER_FLAGS.some((f) => opts[f] !== undefined);
}

/** The flags as typed, for messages: `--tag NORMAL --eye OS`; a patient id and free text are not repeated (no patient data in messages). */
export function describeSelection(opts: SelectionCliOptions): string {
  const shown = (f: (typeof FILTER_FLAGS)[number]) => (f === 'patient' || f === 'text' ? `<${f === 'patient' ? 'id' : 'text'}>` : String(opts[f]));
  const parts = FILTER_FLAGS.flatMap((f) => (opts[f] === undefined ? [] : [opts[f] === true ? `--${f}` : `--${f} ${shown(f)}`]));
  return opts.all ? ['--all', ...parts].join(' ') : parts.join(' ');
}

/** Parses the options (plus any extra filter fields) with the contract's schema; a usage error names the option. */
export function parseScanFilter(opts: SelectionCliOptions, extra: Record<string, unknown> = {}): z.output<typeof scanFilterSchema> {
  if (opts.all && FILTER_FLAGS.some((f) => opts[f] !== undefined)) {
    throw new AppError('VALIDATION', `--all selects every scan; drop it to filter (${describeSelection({ ...opts, all: false })})`);
  }
  let reviewState = opts.review === undefined ? undefined : reviewStateOption(opts.review);
  if (opts.unsegmented) {
    if (reviewState !== undefined && reviewState !== 'not-segmented') throw new AppError('VALIDATION', `--unsegmented and --review ${opts.review} select nothing together`);
    reviewState = 'not-segmented';
  }
  const parsed = scanFilterSchema.safeParse({
    patient: opts.patient,
    eye: opts.eye,
    tag: opts.tag,
    reviewState,
    dateFrom: opts.from,
    dateTo: opts.to,
    text: opts.text,
    flagged: opts.flagged,
    ...extra,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('VALIDATION', `Invalid option ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`);
  }
  return parsed.data;
}

/** The ids of every scan the filter selects, in id order; NOT_FOUND (exit 3) when there are none. */
export function selectScanIds(scans: Pick<ScansRepo, 'each'>, filter: ScanFilter, opts: SelectionCliOptions): number[] {
  const ids: number[] = [];
  for (const scan of scans.each({ ...filter, offset: undefined, limit: undefined, sort: 'id', order: 'asc' })) ids.push(scan.id);
  if (ids.length === 0) throw new AppError('NOT_FOUND', `No scans match the selection (${describeSelection(opts) || 'the whole catalog'})`, { selection: describeSelection(opts) });
  return ids;
}
