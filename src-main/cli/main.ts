import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands';
import { EXIT, reportError } from './context';
import { version } from '../../package.json';

/** `stratum`: the command line over the same services the app uses. */
async function main(argv: string[]): Promise<void> {
  const program = new Command('stratum')
    .description('Stratum: retinal OCT layer segmentation, catalog and reports')
    .version(version)
    .option('--home <dir>', 'data folder (catalog and image library); default: $STRATUM_HOME or the per-user app data folder')
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    process.exitCode = reportError(error);
  }
}

void main(process.argv);
