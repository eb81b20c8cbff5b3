import type { Command } from 'commander';
import { AppError } from '../../../src-shared/contract/errors';
import { SCAN_SORT_KEYS, type ScanRecord, type ScanSortKey } from '../../../src-shared/domain/catalog';
import { reviewLabel } from '../../../src-shared/domain/review';
import { DEFAULT_SCAN_SORT, defaultOrderFor } from '../../../src-shared/domain/scan-order';
import { EXIT, printJson, withCatalogReader } from '../context';
import { addSelectionOptions, describeSelection, parseScanFilter, type SelectionCliOptions } from '../scan-filter-options';
import { formatTable, plural } from '../text-table';

interface ListOptions extends SelectionCliOptions {
  deleted?: boolean;
  sort: string;
  limit: string;
  offset: string;
  json?: boolean;
}

const COLUMNS: { header: string; cell: (s: ScanRecord) => string }[] = [
  { header: 'ID', cell: (s) => String(s.id) },
  { header: 'PATIENT', cell: (s) => s.patientExternalId ?? '-' },
  { header: 'EYE', cell: (s) => s.eye },
  { header: 'ACQUIRED', cell: (s) => s.acquiredAt?.slice(0, 10) ?? '-' },
  { header: 'TAGS', cell: (s) => s.tags.join(',') || '-' },
  { header: 'SIZE', cell: (s) => `${s.width}x${s.height}` },
  { header: 'SCALE', cell: (s) => (s.axialUmPerPx === null ? 'none' : `${s.axialUmPerPx}x${s.lateralUmPerPx} um/px (${s.scaleProvenance})`) },
  { header: 'REVIEW', cell: (s) => reviewLabel(s.reviewState) },
  { header: 'FLAG', cell: (s) => (s.flagged ? `flagged (${s.flagReasons.length} ${plural(s.flagReasons.length, 'reason')}, below)` : '-') },
  { header: 'FILE', cell: (s) => `${s.originalPath}${s.deletedAt ? ' (DELETED)' : ''}` },
];

export function registerList(program: Command): void {
  addSelectionOptions(program.command('list').description("List catalog scans, in the app's catalog order (by id) unless --sort says otherwise"))
    .option('--deleted', 'include deleted scans')
    .option('--sort <key>', `${SCAN_SORT_KEYS.join(', ')} (dates newest first)`, DEFAULT_SCAN_SORT)
    .option('--limit <n>', 'page size (max 500)', '50')
    .option('--offset <n>', 'skip this many', '0')
    .option('--json', 'print the page as JSON')
    .action(async (opts: ListOptions, command: Command) => {
      if (!(SCAN_SORT_KEYS as readonly string[]).includes(opts.sort)) throw new AppError('VALIDATION', `--sort must be one of ${SCAN_SORT_KEYS.join(', ')}, not "${opts.sort}"`);
      const sort = opts.sort as ScanSortKey;
      const filter = parseScanFilter(opts, { includeDeleted: opts.deleted, limit: Number(opts.limit), offset: Number(opts.offset), sort, order: defaultOrderFor(sort) });
      await withCatalogReader(command, async (s) => {
        const page = s.scans.list(filter);
        if (opts.json) printJson(page);
        if (page.total === 0) {
          process.stderr.write(`stratum: no scans match${describeSelection(opts) ? ` ${describeSelection(opts)}` : ': the catalog is empty'}\n`);
          process.exitCode = EXIT.notFound;
          return;
        }
        if (opts.json) return;
        process.stdout.write(formatTable(COLUMNS.map((c) => c.header), page.items.map((scan) => COLUMNS.map((c) => c.cell(scan)))));
        // why each flagged scan is flagged: the quality findings of its current segmentation
        for (const scan of page.items.filter((x) => x.flagged)) {
          process.stdout.write(`scan ${scan.id} flagged: ${scan.flagReasons.length ? scan.flagReasons.join('; ') : 'flagged before reasons were recorded'}\n`);
        }
        const total = page.totalExact ? String(page.total) : `${page.total}+`;
        const shown = page.items.length === 0 ? `none of ${total} ${plural(page.total, 'scan')} on this page` : `${page.offset + 1}-${page.offset + page.items.length} of ${total} ${plural(page.total, 'scan')}`;
        process.stdout.write(`${shown}${page.offset + page.items.length < page.total ? ` (next: --offset ${page.offset + page.items.length})` : ''}\n`);
      });
    });
}
