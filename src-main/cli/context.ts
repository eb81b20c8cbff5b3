import type { Command } from 'commander';
import { AppError } from '../../src-shared/contract';
import { resolveHome } from '../data-folder';
import { createServices, type Services } from '../services/container';

/**
 * Exit statuses shared by every command: 0 ok, 1 some work failed, 2 usage error, 3 nothing done because
 * it needs confirmation (re-segmenting corrected or signed-off scans without --force).
 */
export const EXIT = { ok: 0, partialFailure: 1, usage: 2, needsConfirmation: 3 } as const;

/** The global options every command inherits (declared once on the root program). */
export interface GlobalOptions {
  home?: string;
}

export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

/** Opens the services for one command and always closes them, so the catalog is never left locked. */
export async function withServices<T>(command: Command, body: (services: Services) => Promise<T>): Promise<T> {
  const services = createServices({ home: resolveHome(globalOptions(command).home), host: 'node' });
  try {
    return await body(services);
  } finally {
    await services.close();
  }
}

/** Prints an error the way every command does: one line naming what and where, on stderr. */
export function reportError(error: unknown): number {
  if (error instanceof AppError) {
    process.stderr.write(`stratum: ${error.message}${error.code === 'VALIDATION' ? '' : ` [${error.code}]`}\n`);
    if (error.code === 'CONFIRMATION_REQUIRED') return EXIT.needsConfirmation;
    return error.code === 'VALIDATION' ? EXIT.usage : EXIT.partialFailure;
  }
  process.stderr.write(`stratum: ${(error as Error)?.stack ?? String(error)}\n`);
  return EXIT.partialFailure;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
