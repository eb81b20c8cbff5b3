import { resolve } from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../../src-shared/contract';
import { scanFilterSchema } from '../../../src-shared/contract/channels/catalog';
import { createReportService } from '../../services/reports';
import { EXIT, printJson, withServices } from '../context';

interface ExportOptions {
  patient?: string;
  eye?: string;
  tag?: string;
  review?: string;
  from?: string;
  to?: string;
  out: string;
  json?: boolean;
}

export function registerExportCsv(program: Command): void {
  program
    .command('export-csv')
    .description('Export thickness summaries (one row per scan x zone x layer, unit column) as CSV, or JSON with --json')
    .option('--patient <id>', "patient's external id")
    .option('--eye <eye>', 'OD, OS or unknown')
    .option('--tag <tag>', 'diagnosis tag, e.g. NORMAL')
    .option('--review <status>', 'auto, reviewed, corrected')
    .option('--from <date>', 'acquired on or after (YYYY-MM-DD)')
    .option('--to <date>', 'acquired on or before (YYYY-MM-DD)')
    .requiredOption('--out <file>', 'output file')
    .option('--json', 'write JSON (an array of row records) instead of CSV')
    .action(async (opts: ExportOptions, command: Command) => {
      const parsed = scanFilterSchema.safeParse({
        patient: opts.patient,
        eye: opts.eye,
        tag: opts.tag,
        reviewStatus: opts.review,
        dateFrom: opts.from,
        dateTo: opts.to,
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new AppError('VALIDATION', `Invalid option ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`);
      }
      await withServices(command, async (s) => {
        const result = createReportService(s).exportThickness(parsed.data, opts.json ? 'json' : 'csv', resolve(opts.out));
        if (!process.stdout.isTTY) return printJson(result);
        process.stdout.write(`${result.rows} rows from ${result.scans} scan(s) -> ${result.path}\n`);
        if (result.skipped.length > 0) {
          process.stderr.write(`skipped ${result.skipped.length} scan(s) without a segmentation: ${result.skipped.slice(0, 20).join(', ')}\n`);
        }
        if (result.scans === 0) process.exitCode = EXIT.partialFailure;
      });
    });
}
