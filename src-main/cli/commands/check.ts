import type { Command } from 'commander';
import { checkDataFolder } from '../../services/app/data-folder-check';
import { EXIT, printJson, withCatalogReader } from '../context';
import { runJobWithProgress } from '../progress';
import { count } from '../text-table';

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('Check the data folder: writable, catalog integrity, every library file present and intact; names the affected scans (read-only: works while the app is open)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      await withCatalogReader(command, async (s) => {
        const result = await runJobWithProgress(s, 'check-data-folder', 'Check data folder', (ctx) => checkDataFolder(s.folder, s.db, ctx));
        const problems = result.corruptFiles.length + result.missingFiles.length;
        if (problems > 0 || result.catalogIntegrity !== 'ok' || !result.writable) process.exitCode = EXIT.partialFailure;
        if (opts.json) return printJson(result);
        const lines = [
          `${count(result.libraryFiles, 'library file')}: ${result.corruptFiles.length} corrupt, ${result.missingFiles.length} missing`,
          `catalog integrity: ${result.catalogIntegrity}`,
          `data folder writable: ${result.writable ? 'yes' : 'NO'} (${result.home})`,
        ];
        for (const f of result.corruptFiles) lines.push(`  CORRUPT ${f.file}: ${f.scanIds.length ? `scan ${f.scanIds.join(', ')}` : 'no scan uses it'} (its content no longer matches its checksum)`);
        for (const f of result.missingFiles) lines.push(`  MISSING ${f.file}: scan ${f.scanIds.join(', ')} (the stored image is gone)`);
        if (problems > 0) lines.push(`${count(result.affectedScans.length, 'scan')} affected: re-import their original files to restore them (\`stratum show --scan ID\` names each original)`);
        process.stdout.write(`${lines.join('\n')}\n`);
      });
    });
}
