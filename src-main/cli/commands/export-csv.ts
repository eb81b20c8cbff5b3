import { extname } from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../../src-shared/contract/errors';
import { userPath } from '../../services/files/user-path';
import { EXIT, printJson, withCatalogReader } from '../context';
import { addSelectionOptions, parseScanFilter, selectScanIds, type SelectionCliOptions } from '../scan-filter-options';
import { count } from '../text-table';

interface ExportOptions extends SelectionCliOptions {
  out: string;
  format?: string;
  json?: boolean;
}

export function registerExportCsv(program: Command): void {
  addSelectionOptions(
    program
      .command('export-csv')
      .description(
        'Export the thickness summaries of the selected scans (default: all) as CSV, one row per scan x zone x layer with a unit column. ' +
          'Read-only: works while the app is open.',
      ),
  )
    .requiredOption('--out <file>', 'output file')
    .option('--format <format>', 'csv or json (an array of row records); default: json for a .json file, else csv')
    .option('--json', 'print the summary (rows, scans, skipped) as JSON instead of text')
    .action(async (opts: ExportOptions, command: Command) => {
      const filter = parseScanFilter(opts);
      const format = opts.format ?? (extname(opts.out).toLowerCase() === '.json' ? 'json' : 'csv');
      if (format !== 'csv' && format !== 'json') throw new AppError('VALIDATION', `--format must be csv or json, not "${format}"`);
      await withCatalogReader(command, async (s) => {
        selectScanIds(s.scans, filter, opts); // an empty selection: NOT_FOUND, and no file written
        const { createReportService } = await import('../../services/reports');
        const result = createReportService(s).exportThickness(filter, format, userPath(opts.out));
        if (result.skipped.length > 0) process.exitCode = EXIT.partialFailure;
        if (opts.json) return printJson(result);
        process.stdout.write(`${count(result.rows, 'row')} from ${count(result.scans, 'scan')} -> ${result.path}\n`);
        if (result.skipped.length > 0) {
          const shown = result.skipped.slice(0, 20).join(', ');
          process.stderr.write(`stratum: skipped ${count(result.skipped.length, 'scan')} without a segmentation: ${shown}${result.skipped.length > 20 ? ', ...' : ''}\n`);
        }
      });
    });
}
