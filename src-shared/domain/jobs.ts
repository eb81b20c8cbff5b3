export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobProgress {
  jobId: string;
  kind: string;
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
  error?: { code: string; message: string };
  /** Present when state is 'done'; the job kind defines the shape. */
  result?: unknown;
}

export const TERMINAL_JOB_STATES: readonly JobState[] = ['done', 'failed', 'cancelled'];
