import { randomUUID } from 'node:crypto';
import { AppError, toWireError } from '../../src-shared/contract';
import type { AnyJobProgress, JobKind, JobResultOf } from '../../src-shared/contract/channels/jobs';
import type { EventBus } from '../ipc/event-bus';

export interface JobContext {
  readonly signal: AbortSignal;
  /** Reports progress; throws CANCELLED once the job was cancelled, so loops stop at the next report. */
  progress(fraction: number | null, stage: string, detail?: string): Promise<void>;
}

export type JobBody<T> = (ctx: JobContext) => Promise<T>;

interface JobRecord {
  progress: AnyJobProgress;
  controller: AbortController;
  done: Promise<AnyJobProgress>;
}

/**
 * Long work as jobs: start returns an id at once, progress goes out as `job.progress` events,
 * cancel aborts through an AbortSignal and ends the job as "cancelled" (not as an error).
 *
 * `slowStepMs` (STRATUM_E2E_SLOW_JOBS_MS) stretches every progress step, a fault-injection knob that
 * lets end-to-end tests cancel a job mid-way deterministically. It is never set in production.
 */
export class JobRunner {
  private readonly jobs = new Map<string, JobRecord>();

  constructor(
    private readonly bus: EventBus,
    private readonly slowStepMs = Number(process.env.STRATUM_E2E_SLOW_JOBS_MS ?? 0),
  ) {}

  /** The body must return the result the contract declares for `kind` (`JobResults`). */
  start<K extends JobKind>(kind: K, title: string, body: JobBody<JobResultOf<K>>): string {
    const jobId = randomUUID();
    const controller = new AbortController();
    const progress: AnyJobProgress = {
      jobId,
      kind,
      title,
      state: 'queued',
      fraction: 0,
      stage: 'Queued',
      startedAt: new Date().toISOString(),
    };
    const record: JobRecord = { progress, controller, done: Promise.resolve(progress) };
    this.jobs.set(jobId, record);
    this.publish(record);

    const ctx: JobContext = {
      signal: controller.signal,
      progress: async (fraction, stage, detail) => {
        if (controller.signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
        record.progress = { ...record.progress, state: 'running', fraction, stage, detail };
        this.publish(record);
        if (this.slowStepMs > 0) await delay(this.slowStepMs, controller.signal);
        if (controller.signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
      },
    };

    record.done = (async () => {
      await new Promise((resolve) => setImmediate(resolve));
      try {
        if (controller.signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
        record.progress = { ...record.progress, state: 'running', stage: 'Starting' };
        this.publish(record);
        const result = await body(ctx);
        record.progress = { ...record.progress, state: 'done', fraction: 1, stage: 'Done', result };
      } catch (error) {
        const wire = toWireError(error);
        record.progress =
          controller.signal.aborted || wire.code === 'CANCELLED'
            ? { ...record.progress, state: 'cancelled', stage: 'Cancelled' }
            : { ...record.progress, state: 'failed', stage: 'Failed', error: { code: wire.code, message: wire.message } };
      }
      record.progress = { ...record.progress, finishedAt: new Date().toISOString() };
      this.publish(record);
      return record.progress;
    })();
    return jobId;
  }

  cancel(jobId: string): boolean {
    const record = this.require(jobId);
    if (record.progress.state !== 'queued' && record.progress.state !== 'running') return false;
    record.controller.abort();
    return true;
  }

  get(jobId: string): AnyJobProgress {
    return this.require(jobId).progress;
  }

  list(): AnyJobProgress[] {
    return [...this.jobs.values()].map((r) => r.progress).reverse();
  }

  /** Resolves when the job has ended (any terminal state). Used by the CLI and tests. */
  wait(jobId: string): Promise<AnyJobProgress> {
    return this.require(jobId).done;
  }

  private require(jobId: string): JobRecord {
    const record = this.jobs.get(jobId);
    if (!record) throw new AppError('NOT_FOUND', `No job with id ${jobId}`);
    return record;
  }

  private publish(record: JobRecord): void {
    this.bus.emit('job.progress', record.progress);
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}
