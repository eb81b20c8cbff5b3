import { AppError, type ErrorCode } from '../../src-shared/contract';

const FRIENDLY: Record<ErrorCode, string> = {
  VALIDATION: 'The request was not valid.',
  UNKNOWN_CHANNEL: 'This action is not available in this version.',
  UNAUTHORISED: 'The connection to Stratum was refused.',
  NOT_FOUND: 'It no longer exists.',
  CONFLICT: 'Another operation is in the way.',
  BAD_INPUT: 'A file could not be read.',
  TOO_LARGE: 'The input is larger than Stratum accepts.',
  MODEL_UNAVAILABLE: 'The segmentation model is not available.',
  NOT_AVAILABLE: 'Not available here.',
  CANCELLED: 'Cancelled.',
  CONFIRMATION_REQUIRED: 'This needs your confirmation first.',
  IO: 'A disk or connection problem occurred.',
  INTERNAL: 'Something went wrong inside Stratum.',
};

/** What a clinician reads: the service's message when it has one, else a calm generic line. */
export function describeError(error: unknown): string {
  if (error instanceof AppError) return error.message || FRIENDLY[error.code];
  return error instanceof Error ? error.message : String(error);
}
