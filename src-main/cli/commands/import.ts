import type { Command } from 'commander';
import { AppError } from '../../../src-shared/contract';
import { PATIENT_CONFLICT_POLICIES, type ImportFailure, type ImportNotice, type ImportSkip, type PatientConflictPolicy } from '../../../src-shared/domain/catalog';
import { userPath } from '../../services/files/user-path';
import { EXIT, printJson, withServices } from '../context';
import { runJobWithProgress } from '../progress';
import { count } from '../text-table';
import { describeSeriesKind, type ImportFileEntry } from '../../../src-shared/domain/series';

interface ImportCliOptions {
  dryRun?: boolean;
  segment?: boolean;
  json?: boolean;
  onPatientConflict?: string;
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('Import OCT B-scans from a folder tree (OCTID layout, "06 OS.jpeg" names) or a CSV manifest')
    .argument('<source>', 'folder or manifest.csv')
    .option('--dry-run', 'only report what would be imported')
    .option('--segment', 'segment each new scan after importing it (progress on stderr)')
    .option(
      '--on-patient-conflict <policy>',
      "a manifest row whose name or birth_date differs from the catalog's patient with that patient_id: refuse (default: the row is not imported), keep (attach, keep the catalog's details) or update (attach, replace them)",
    )
    .option('--json', 'print one JSON object')
    .action(async (typed: string, opts: ImportCliOptions, command: Command) => {
      const source = userPath(typed); // `~/scans` in quotes or after = is the home folder too
      let onPatientConflict: PatientConflictPolicy | undefined;
      try {
        onPatientConflict = parsePolicy(opts.onPatientConflict);
        const { checkSource } = await import('../../services/import/scanner');
        checkSource(source);
      } catch (error) {
        if (error instanceof AppError && (error.code === 'BAD_INPUT' || error.code === 'VALIDATION')) {
          process.stderr.write(`stratum: ${error.message}\n`);
          process.exitCode = EXIT.usage;
          return;
        }
        throw error;
      }
      await withServices(command, async (s) => {
        if (opts.dryRun) {
          const dry = await runJobWithProgress(s, 'import-dry-run', `Check ${source}`, (ctx) => s.importer.dryRun(source, ctx, { onPatientConflict }));
          const out = { dryRun: true, ...dry, imported: 0, restored: 0, duplicates: dry.duplicates.length, duplicateFiles: dry.duplicates };
          if (opts.json) printJson(out);
          else {
            process.stdout.write(
              [
                `${dry.found} found in ${dry.source}`,
                `${dry.wouldImport} would be imported, ${dry.wouldRestore ? `${count(dry.wouldRestore, 'deleted scan')} would be restored, ` : ''}${count(dry.duplicates.length, 'duplicate')}, ${dry.failed.length} failed`,
                `${dry.missingScale} without a pixel scale, ${dry.unknownEye} with unknown eye`,
                `per patient: ${formatCounts(dry.perPatient)}`,
                `per tag: ${formatCounts(dry.perTag)}`,
                ...formatSeriesFiles(dry.files),
                ...formatSkipped(dry.skipped),
                ...formatNotices(dry.notices),
                ...formatFailures(dry.failed),
                ...nothingFound(dry.found, dry.skipped),
              ].join('\n') + '\n',
            );
          }
          if (dry.failed.length > 0 || dry.found === 0) process.exitCode = EXIT.partialFailure;
          return;
        }
        const result = await runJobWithProgress(s, 'import', `Import ${source}`, (ctx) => s.importer.run(source, { segment: opts.segment, onPatientConflict }, ctx), { stageLines: true });
        if (opts.json) printJson(result);
        else {
          process.stdout.write(
            [
              `${result.imported} imported, ${result.restored ? `${count(result.restored, 'deleted scan')} restored, ` : ''}${count(result.duplicates, 'duplicate')}, ${result.failed.length} failed (${result.found} found in ${result.source})`,
              `${result.missingScale} without a pixel scale, ${result.unknownEye} with unknown eye`,
              `per tag: ${formatCounts(result.perTag)}`,
              ...(result.segmentation ? [`segment: ${result.segmentation.message}`] : []),
              ...formatSeriesFiles(result.files),
              ...formatSkipped(result.skipped),
              ...formatNotices(result.notices),
              ...formatFailures(result.failed),
              ...nothingFound(result.found, result.skipped),
            ].join('\n') + '\n',
          );
        }
        if (result.failed.length > 0 || result.found === 0) process.exitCode = EXIT.partialFailure;
      });
    });
}

function parsePolicy(value: string | undefined): PatientConflictPolicy | undefined {
  if (value === undefined) return undefined;
  if ((PATIENT_CONFLICT_POLICIES as readonly string[]).includes(value)) return value as PatientConflictPolicy;
  throw new AppError('VALIDATION', `--on-patient-conflict must be ${PATIENT_CONFLICT_POLICIES.join(', ')}, not "${value}"`);
}

function formatCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts);
  return entries.length ? entries.map(([k, n]) => `${k} ${n}`).join(', ') : '-';
}

/** The vendor OCT files (issue 16): format, kind and B-scan count, and for an export the rule that paired its files. */
function formatSeriesFiles(files: ImportFileEntry[]): string[] {
  const series = files.filter((f) => f.kind !== 'single');
  if (series.length === 0) return [];
  return [
    `${count(series.length, 'OCT file')} (${count(files.length - series.length, 'image')} besides):`,
    ...series.flatMap((f) => [`  ${f.format}, ${describeSeriesKind(f.kind, f.bscanCount)}: ${f.path}`, ...(f.pairing ? [`    paired by ${f.pairing.rule}: ${f.pairing.detail}`] : [])]),
  ];
}

function formatFailures(failed: ImportFailure[]): string[] {
  return failed.map((f) => `  FAILED ${f.code} ${f.path}: ${f.message}`);
}

function formatNotices(notices: ImportNotice[]): string[] {
  return notices.map((n) => `  NOTE ${n.code} ${n.path}: ${n.message}`);
}

/** One line per reason with a count, then the first few paths of each (a folder may hold thousands). */
function formatSkipped(skipped: ImportSkip[]): string[] {
  if (skipped.length === 0) return [];
  const byReason = new Map<string, ImportSkip[]>();
  for (const s of skipped) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s]);
  const lines = [`${skipped.length} skipped (not imported):`];
  for (const [reason, list] of byReason) {
    lines.push(`  SKIPPED ${reason} x${list.length}`);
    for (const s of list.slice(0, 10)) lines.push(`    ${s.path}: ${s.message}`);
    if (list.length > 10) lines.push(`    ... and ${list.length - 10} more`);
  }
  return lines;
}

function nothingFound(found: number, skipped: ImportSkip[]): string[] {
  if (found > 0) return [];
  return [`Nothing importable found${skipped.length ? ` (${skipped.length} entries skipped, reasons above)` : ''}: import reads JPEG, PNG, TIFF and BMP files, Heidelberg VOL/E2E/XML, Topcon FDA/FDS and Zeiss IMG files, or a CSV manifest listing images.`];
}
