import type { Command } from 'commander';
import { AppError } from '../../../src-shared/contract';
import { scanFilterSchema } from '../../../src-shared/contract/channels/catalog';
import { printJson, withServices } from '../context';

interface ListOptions {
  patient?: string;
  eye?: string;
  tag?: string;
  text?: string;
  review?: string;
  from?: string;
  to?: string;
  flagged?: boolean;
  deleted?: boolean;
  limit: string;
  offset: string;
  json?: boolean;
}

export function registerList(program: Command): void {
  program
    .command('list')
    .description('List scans in the catalog')
    .option('--patient <id>', "patient's external id")
    .option('--eye <eye>', 'OD, OS or unknown')
    .option('--tag <tag>', 'diagnosis tag, e.g. NORMAL')
    .option('--text <text>', 'free text in path, patient, device or tags')
    .option('--review <status>', 'auto, reviewed, corrected or none')
    .option('--from <date>', 'acquired on or after (YYYY-MM-DD)')
    .option('--to <date>', 'acquired on or before (YYYY-MM-DD)')
    .option('--flagged', 'only scans flagged as a likely segmentation failure')
    .option('--deleted', 'include deleted scans')
    .option('--limit <n>', 'page size (max 500)', '50')
    .option('--offset <n>', 'skip this many', '0')
    .option('--json', 'print JSON')
    .action(async (opts: ListOptions, command: Command) => {
      const parsed = scanFilterSchema.safeParse({
        patient: opts.patient,
        eye: opts.eye,
        tag: opts.tag,
        text: opts.text,
        reviewStatus: opts.review,
        dateFrom: opts.from,
        dateTo: opts.to,
        flagged: opts.flagged,
        includeDeleted: opts.deleted,
        limit: Number(opts.limit),
        offset: Number(opts.offset),
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new AppError('VALIDATION', `Invalid option ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`);
      }
      await withServices(command, async (s) => {
        const page = s.scans.list(parsed.data);
        if (opts.json) return printJson(page);
        for (const scan of page.items) {
          const scale = scan.axialUmPerPx === null ? 'no scale' : `${scan.axialUmPerPx}x${scan.lateralUmPerPx} um/px (${scan.scaleProvenance})`;
          process.stdout.write(
            `${String(scan.id).padStart(6)}  ${(scan.patientExternalId ?? '-').padEnd(10)} ${scan.eye.padEnd(7)} ${(scan.tags.join(',') || '-').padEnd(10)} ${scan.width}x${scan.height}  ${scale}  ${scan.reviewStatus ?? 'unsegmented'}${scan.deletedAt ? '  DELETED' : ''}  ${scan.originalPath}\n`,
          );
        }
        process.stdout.write(`${page.items.length} of ${page.total} scans (offset ${page.offset})\n`);
      });
    });
}
