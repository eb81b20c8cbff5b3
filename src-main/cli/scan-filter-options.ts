import type { Command } from 'commander';
import type { z } from 'zod';
import { AppError } from '../../src-shared/contract';
import { scanFilterSchema } from '../../src-shared/contract/channels/catalog';
import { parseReviewState, REVIEW_STATES, type ReviewState } from '../../src-shared/domain/review';

/** --review takes a state key or label (domain/review.ts); 'auto' is gone: it was two states. */
function reviewStateOption(text: string): ReviewState {
  const state = parseReviewState(text);
  if (state) return state;
  const hint = text.trim().toLowerCase() === 'auto' ? " ('auto' is now two states: needs-review, flagged by the quality rules, and not-reviewed)" : '';
  throw new AppError('VALIDATION', `--review must be one of ${REVIEW_STATES.join(', ')}, not "${text}"${hint}`);
}

/** The scan filter options shared by `list` and `export-csv`, declared once. */
export interface ScanFilterCliOptions {
  patient?: string;
  eye?: string;
  tag?: string;
  review?: string;
  from?: string;
  to?: string;
}

export function addScanFilterOptions(command: Command): Command {
  return command
    .option('--patient <id>', "patient's external id")
    .option('--eye <eye>', 'OD, OS or unknown')
    .option('--tag <tag>', 'diagnosis tag, e.g. NORMAL')
    .option('--review <state>', `review state: ${REVIEW_STATES.join(', ')}`)
    .option('--from <date>', 'acquired on or after (YYYY-MM-DD)')
    .option('--to <date>', 'acquired on or before (YYYY-MM-DD)');
}

/** Parses the options (plus any extra filter fields) with the contract's schema; a usage error names the option. */
export function parseScanFilter(opts: ScanFilterCliOptions, extra: Record<string, unknown> = {}): z.output<typeof scanFilterSchema> {
  const parsed = scanFilterSchema.safeParse({
    patient: opts.patient,
    eye: opts.eye,
    tag: opts.tag,
    reviewState: opts.review === undefined ? undefined : reviewStateOption(opts.review),
    dateFrom: opts.from,
    dateTo: opts.to,
    ...extra,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('VALIDATION', `Invalid option ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`);
  }
  return parsed.data;
}
