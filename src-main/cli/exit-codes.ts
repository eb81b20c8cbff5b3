import { AppError } from '../../src-shared/contract/errors';

/**
 * The CLI's exit statuses: the one table. `stratum --help` prints it (exitCodeHelp) and the README copies it;
 * each status means one thing, so a script can tell "some files failed" from "the app holds the catalog".
 */
export const EXIT = {
  /** Everything asked was done. */
  ok: 0,
  /** Some items failed (the rest were done): a bad file, a scan without a segmentation, a corrupt library file. */
  partialFailure: 1,
  /** Usage: an unknown option, a bad value, a missing argument. Nothing was done. */
  usage: 2,
  /** Not found: no scan with that id, an empty selection, no such model. Nothing was done. */
  notFound: 3,
  /** Catalog busy: another Stratum process (the desktop app or `stratum serve`) holds the catalog. Nothing was done. */
  catalogBusy: 4,
  /** Needs confirmation: re-segmenting corrected or signed-off scans without --force. Nothing was done. */
  needsConfirmation: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const EXIT_LINES: readonly [ExitCode, string][] = [
  [EXIT.ok, 'ok'],
  [EXIT.partialFailure, 'some items failed (the others were done)'],
  [EXIT.usage, 'usage error (bad option or argument; nothing done)'],
  [EXIT.notFound, 'not found (no such scan or model, or an empty selection; nothing done)'],
  [EXIT.catalogBusy, 'catalog busy: the app or `stratum serve` holds it (write commands only; nothing done)'],
  [EXIT.needsConfirmation, 'needs confirmation: pass --force (nothing done)'],
];

/** The table as `stratum --help` prints it. */
export function exitCodeHelp(): string {
  return `Exit status:\n${EXIT_LINES.map(([code, text]) => `  ${code}  ${text}`).join('\n')}\n`;
}

/** The catalog lock's CONFLICT (lock.ts puts the lock file in its details); other CONFLICTs are not "busy". */
export function isCatalogBusy(error: unknown): boolean {
  return error instanceof AppError && error.code === 'CONFLICT' && typeof error.details?.lockFile === 'string';
}

/** The exit status for an error that stopped a command. */
export function exitCodeFor(error: unknown): ExitCode {
  if (!(error instanceof AppError)) return EXIT.partialFailure;
  if (isCatalogBusy(error)) return EXIT.catalogBusy;
  switch (error.code) {
    case 'VALIDATION':
      return EXIT.usage;
    case 'NOT_FOUND':
      return EXIT.notFound;
    case 'CONFIRMATION_REQUIRED':
      return EXIT.needsConfirmation;
    default:
      return EXIT.partialFailure;
  }
}
