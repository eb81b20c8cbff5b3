import type { ErrorCode } from '../contract/errors';

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/**
 * One job as main reports it. Generic in its kind and result so that the contract
 * (`contract/channels/jobs.ts`, `JobResults`) can say which result each kind carries.
 */
export interface JobProgress<Kind extends string = string, Result = unknown> {
  jobId: string;
  kind: Kind;
  title: string;
  state: JobState;
  /** 0..1; null when the total is not known yet. */
  fraction: number | null;
  /** Short human-readable stage, e.g. "Hashing files". */
  stage: string;
  /** Optional detail such as the current file. */
  detail?: string;
  startedAt: string;
  finishedAt?: string;
  /** Present when state is 'failed'. */
  error?: { code: ErrorCode; message: string };
  /** Present when state is 'done'; its type is the one the contract declares for `kind`. */
  result?: Result;
}

const TERMINAL_JOB_STATES: readonly JobState[] = ['done', 'failed', 'cancelled'];

/** Done, failed or cancelled: the job will report nothing more. */
export function isTerminal(state: JobState): boolean {
  return TERMINAL_JOB_STATES.includes(state);
}
