import type { Command } from 'commander';
import { AppError } from '../../../src-shared/contract';
import type { ImportFailure } from '../../../src-shared/domain/catalog';
import { checkSource } from '../../services/import/scanner';
import { EXIT, printJson, withServices } from '../context';
import { runJobWithProgress } from '../progress';

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('Import OCT B-scans from a folder tree (OCTID layout, "06 OS.jpeg" names) or a CSV manifest')
    .argument('<source>', 'folder or manifest.csv')
    .option('--dry-run', 'only report what would be imported')
    .option('--segment', 'queue segmentation of each new scan')
    .option('--json', 'print one JSON object')
    .action(async (source: string, opts: { dryRun?: boolean; segment?: boolean; json?: boolean }, command: Command) => {
      try {
        checkSource(source);
      } catch (error) {
        if (error instanceof AppError && error.code === 'BAD_INPUT') {
          process.stderr.write(`stratum: ${error.message}\n`);
          process.exitCode = EXIT.usage;
          return;
        }
        throw error;
      }
      await withServices(command, async (s) => {
        if (opts.dryRun) {
          const dry = await runJobWithProgress(s, 'import-dry-run', `Check ${source}`, (ctx) => s.importer.dryRun(source, ctx));
          const out = { dryRun: true, ...dry, imported: 0, restored: 0, duplicates: dry.duplicates.length, duplicateFiles: dry.duplicates };
          if (opts.json) printJson(out);
          else {
            process.stdout.write(
              [
                `${dry.found} found in ${dry.source}`,
                `${dry.wouldImport} would be imported, ${dry.wouldRestore ? `${dry.wouldRestore} deleted scans would be restored, ` : ''}${dry.duplicates.length} duplicates, ${dry.failed.length} failed`,
                `${dry.missingScale} without a pixel scale, ${dry.unknownEye} with unknown eye`,
                `per patient: ${formatCounts(dry.perPatient)}`,
                `per tag: ${formatCounts(dry.perTag)}`,
                ...formatFailures(dry.failed),
              ].join('\n') + '\n',
            );
          }
          if (dry.failed.length > 0) process.exitCode = EXIT.partialFailure;
          return;
        }
        const result = await runJobWithProgress(s, 'import', `Import ${source}`, (ctx) => s.importer.run(source, { segment: opts.segment }, ctx));
        if (opts.json) printJson(result);
        else {
          process.stdout.write(
            [
              `${result.imported} imported, ${result.restored ? `${result.restored} deleted scans restored, ` : ''}${result.duplicates} duplicates, ${result.failed.length} failed (${result.found} found in ${result.source})`,
              `${result.missingScale} without a pixel scale, ${result.unknownEye} with unknown eye`,
              `per tag: ${formatCounts(result.perTag)}`,
              ...(result.segmentation ? [`segment: ${result.segmentation.message}`] : []),
              ...formatFailures(result.failed),
            ].join('\n') + '\n',
          );
        }
        if (result.failed.length > 0) process.exitCode = EXIT.partialFailure;
      });
    });
}

function formatCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts);
  return entries.length ? entries.map(([k, n]) => `${k} ${n}`).join(', ') : '-';
}

function formatFailures(failed: ImportFailure[]): string[] {
  return failed.map((f) => `  FAILED ${f.code} ${f.path}: ${f.message}`);
}
