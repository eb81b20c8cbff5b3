import { AppError } from '../contract/errors';
import type { ImportFailureCode } from '../domain/catalog';

/** What is wrong with a file, for callers that sort failures (import summary, fuzz tests). */
export type FormatProblem = 'empty' | 'truncated' | 'corrupt' | 'unsupported' | 'unknown-format' | 'missing-file' | 'needs-input' | 'too-large';

/**
 * A vendor file that cannot be read, naming the file and the field. The message never carries a
 * value read from the file's patient fields: readers only put sizes, offsets and field names in it.
 */
export class FormatError extends AppError {
  readonly file: string;
  readonly field: string;
  readonly reason: string;
  readonly problem: FormatProblem;

  constructor(file: string, field: string, reason: string, problem: FormatProblem = 'corrupt') {
    super(problem === 'too-large' ? 'TOO_LARGE' : 'BAD_INPUT', `${file}: ${field}: ${reason}`, { file, field, problem });
    this.name = 'FormatError';
    this.file = file;
    this.field = field;
    this.reason = reason;
    this.problem = problem;
  }
}

/** The import summary's failure code for a format error. */
export function importFailureCode(error: FormatError): ImportFailureCode {
  switch (error.problem) {
    case 'empty':
      return 'EMPTY_FILE';
    case 'truncated':
      return 'TRUNCATED';
    case 'unsupported':
    case 'unknown-format':
      return 'UNSUPPORTED_TYPE';
    case 'missing-file':
      return 'MISSING_FILE';
    case 'too-large':
      return 'TOO_LARGE';
    default:
      return 'UNREADABLE_FILE';
  }
}

/**
 * Turns anything a reader threw into a FormatError. A reader throws FormatErrors itself; anything else
 * (a decoder's own error, a RangeError from hostile input) is named 'unexpected' so tests can tell the
 * two apart while users still get a file and a field.
 */
export function asFormatError(error: unknown, file: string, field: string): FormatError {
  if (error instanceof FormatError) return error;
  if (error instanceof AppError) return new FormatError(file, field, error.message, error.code === 'NOT_FOUND' ? 'missing-file' : error.code === 'TOO_LARGE' ? 'too-large' : 'corrupt');
  const message = error instanceof Error ? error.message : String(error);
  return new FormatError(file, field, `unexpected: ${message.slice(0, 200)}`, 'corrupt');
}
