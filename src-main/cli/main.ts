import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands';
import { homeOf, reportError } from './context';
import { EXIT, exitCodeHelp } from './exit-codes';
import { version } from '../../package.json';

/** `stratum`: the command line over the same services the app uses. */
async function main(argv: string[]): Promise<void> {
  // `stratum list | head`: a reader that stops reading is not an error (no EPIPE stack trace)
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
    throw error;
  });
  const program = new Command('stratum')
    .description('Stratum: retinal OCT layer segmentation, catalog and reports')
    .version(version)
    .option('--home <dir>', 'data folder (catalog, image library, models, settings); default: $STRATUM_HOME or the per-user app data folder')
    .addHelpText('after', `\nText output unless a command is given --json (never decided by whether output is a terminal).\n\n${exitCodeHelp()}`)
    .showHelpAfterError()
    .exitOverride()
    // every part of this process (and its worker threads) reads the one data folder: the model registry
    // finds the user's models and default model there through STRATUM_HOME
    .hook('preAction', (_root, action) => {
      process.env.STRATUM_HOME = homeOf(action);
    });
  try {
    await registerCommands(program, argv);
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
