/**
 * The one list of error codes that may cross the IPC boundary. The renderer maps each code to a
 * message a clinician understands; `details` carries the machine-readable specifics.
 */
export const ERROR_CODES = [
  'VALIDATION', // the request did not match the channel's schema
  'UNKNOWN_CHANNEL',
  'UNAUTHORISED', // wrong sender or missing per-launch secret
  'NOT_FOUND',
  'CONFLICT', // e.g. catalog locked by another process, duplicate
  'BAD_INPUT', // a user's file or folder is unreadable, corrupt or of the wrong type
  'TOO_LARGE', // an input beyond a stated limit (pixels, bytes, points, regions), refused before the work
  'MODEL_UNAVAILABLE', // model missing, corrupt, or its runtime cannot load
  'NOT_AVAILABLE', // feature not available in this build or on this host
  'CANCELLED',
  'CONFIRMATION_REQUIRED', // the action would change clinical work (re-segmenting a corrected or signed-off scan): ask, then pass force
  'IO', // disk full, permission denied, ...
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The shape every error takes on the wire. */
export interface WireError {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** Thrown by services; turned into a WireError by the dispatcher (and back into an AppError by the client). */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  toWire(): WireError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static fromWire(error: WireError): AppError {
    return new AppError(error.code, error.message, error.details);
  }
}

/** Normalises anything thrown into a WireError without leaking stack traces across the boundary. */
export function toWireError(error: unknown): WireError {
  if (error instanceof AppError) return error.toWire();
  if (error instanceof Error && error.name === 'AbortError') return { code: 'CANCELLED', message: 'Cancelled.' };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: `Unexpected error: ${message}` };
}
