import type { Command } from 'commander';
import { AppError } from '../../src-shared/contract/errors';
import { resolveHome } from '../data-folder';
import type { ServiceOptions, Services } from '../services/container';
import { userPath } from '../services/files/user-path';
import type { ReadServices } from './catalog-access';
import { EXIT, exitCodeFor, isCatalogBusy } from './exit-codes';

export { EXIT } from './exit-codes';

/** The global options every command inherits (declared once on the root program). */
export interface GlobalOptions {
  home?: string;
}

export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

/** The data folder: --home (a leading ~ expanded), else STRATUM_HOME, else the per-user folder. */
export function homeOf(command: Command): string {
  const home = globalOptions(command).home;
  return resolveHome(home === undefined ? undefined : userPath(home));
}

/**
 * For commands that change the catalog: takes the catalog lock (CONFLICT, exit 4, while the app or
 * `stratum serve` holds it) and always releases it. The container, and with it sharp and the inference
 * code, loads only here, so read-only commands start fast. Every command gets the one container the app
 * builds; `options.segmentation` picks its model and engine (--model, --engine).
 */
export async function withServices<T>(command: Command, body: (services: Services) => Promise<T>, options: Pick<ServiceOptions, 'segmentation'> = {}): Promise<T> {
  const { createServices } = await import('../services/container');
  const services = createServices({ home: homeOf(command), host: 'node', ...options });
  try {
    return await body(services);
  } finally {
    await services.close();
  }
}

/**
 * For commands that only read the catalog (list, show, info, check, export-csv, report): opened read-only
 * without the lock (catalog-access.ts), so they work while the app is open. A data folder without a
 * catalog yet, or one to migrate, is opened as its owner instead (creating or migrating it).
 */
export async function withCatalogReader<T>(command: Command, body: (services: ReadServices) => Promise<T>): Promise<T> {
  const home = homeOf(command);
  const { openCatalogReader } = await import('./catalog-access'); // SQLite and the repositories: not for --help
  const reader = openCatalogReader(home);
  if (reader) {
    try {
      return await body(reader);
    } finally {
      await reader.close();
    }
  }
  return withServices(command, (s) => body({ ...s, mode: 'owner' }));
}

const BUSY_HINT =
  'This command changes the catalog, and only one Stratum process may do that at a time: close the desktop app or stop ' +
  '`stratum serve`, then run it again (or do it in the app). Read-only commands (list, show, info, check, export-csv, export-masks, report) work while the app is open.';

/** Prints an error the way every command does: one line naming what and where, on stderr; returns the exit status. */
export function reportError(error: unknown): number {
  if (error instanceof AppError) {
    process.stderr.write(`stratum: ${error.message}${error.code === 'VALIDATION' ? '' : ` [${error.code}]`}\n`);
    if (isCatalogBusy(error)) process.stderr.write(`stratum: ${BUSY_HINT}\n`);
    return exitCodeFor(error);
  }
  process.stderr.write(`stratum: ${(error as Error)?.stack ?? String(error)}\n`);
  return EXIT.partialFailure;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
