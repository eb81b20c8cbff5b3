import type { Command } from 'commander';
import { printJson, withServices } from '../context';
import { addScanFilterOptions, parseScanFilter, type ScanFilterCliOptions } from '../scan-filter-options';

interface ListOptions extends ScanFilterCliOptions {
  text?: string;
  flagged?: boolean;
  deleted?: boolean;
  limit: string;
  offset: string;
  json?: boolean;
}

export function registerList(program: Command): void {
  addScanFilterOptions(program.command('list').description('List scans in the catalog'))
    .option('--text <text>', 'free text in path, patient, device or tags')
    .option('--flagged', 'only scans whose current segmentation the quality rules flag (needs-review, or corrected/signed off since)')
    .option('--deleted', 'include deleted scans')
    .option('--limit <n>', 'page size (max 500)', '50')
    .option('--offset <n>', 'skip this many', '0')
    .option('--json', 'print JSON')
    .action(async (opts: ListOptions, command: Command) => {
      const filter = parseScanFilter(opts, {
        text: opts.text,
        flagged: opts.flagged,
        includeDeleted: opts.deleted,
        limit: Number(opts.limit),
        offset: Number(opts.offset),
      });
      await withServices(command, async (s) => {
        const page = s.scans.list(filter);
        if (opts.json) return printJson(page);
        for (const scan of page.items) {
          const scale = scan.axialUmPerPx === null ? 'no scale' : `${scan.axialUmPerPx}x${scan.lateralUmPerPx} um/px (${scan.scaleProvenance})`;
          process.stdout.write(
            `${String(scan.id).padStart(6)}  ${(scan.patientExternalId ?? '-').padEnd(10)} ${scan.eye.padEnd(7)} ${(scan.tags.join(',') || '-').padEnd(10)} ${scan.width}x${scan.height}  ${scale}  ${scan.reviewState}${scan.deletedAt ? '  DELETED' : ''}  ${scan.originalPath}\n`,
          );
        }
        process.stdout.write(`${page.items.length} of ${page.total} scans (offset ${page.offset})\n`);
      });
    });
}
