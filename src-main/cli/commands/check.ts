import type { Command } from 'commander';
import { checkDataFolder } from '../../services/app/data-folder-check';
import { EXIT, printJson, withServices } from '../context';
import { runJobWithProgress } from '../progress';

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('Check the data folder: writable, catalog integrity, library file hashes')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      await withServices(command, async (s) => {
        const result = await runJobWithProgress(s, 'check-data-folder', 'Check data folder', (ctx) => checkDataFolder(s.folder, s.db, ctx));
        if (opts.json) printJson(result);
        else process.stdout.write(`${result.libraryFiles} library files, ${result.corruptFiles.length} corrupt, catalog integrity: ${result.catalogIntegrity}, writable: ${result.writable}\n`);
        if (result.corruptFiles.length > 0 || result.catalogIntegrity !== 'ok') process.exitCode = EXIT.partialFailure;
      });
    });
}
