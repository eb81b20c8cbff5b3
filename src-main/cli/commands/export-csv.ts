import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createReportService } from '../../services/reports';
import { EXIT, printJson, withServices } from '../context';
import { addScanFilterOptions, parseScanFilter, type ScanFilterCliOptions } from '../scan-filter-options';

interface ExportOptions extends ScanFilterCliOptions {
  out: string;
  json?: boolean;
}

export function registerExportCsv(program: Command): void {
  addScanFilterOptions(
    program
      .command('export-csv')
      .description('Export thickness summaries (one row per scan x zone x layer, unit column) as CSV, or JSON with --json'),
  )
    .requiredOption('--out <file>', 'output file')
    .option('--json', 'write JSON (an array of row records) instead of CSV')
    .action(async (opts: ExportOptions, command: Command) => {
      const filter = parseScanFilter(opts);
      await withServices(command, async (s) => {
        const result = createReportService(s).exportThickness(filter, opts.json ? 'json' : 'csv', resolve(opts.out));
        if (result.scans === 0) process.exitCode = EXIT.partialFailure;
        if (!process.stdout.isTTY) return printJson(result);
        process.stdout.write(`${result.rows} rows from ${result.scans} scan(s) -> ${result.path}\n`);
        if (result.skipped.length > 0) {
          process.stderr.write(`skipped ${result.skipped.length} scan(s) without a segmentation: ${result.skipped.slice(0, 20).join(', ')}\n`);
        }
      });
    });
}
