import { SvelteSet } from 'svelte/reactivity';
import { isTerminal } from '../../src-shared/domain/jobs';
import { isJobOf, type AnyJobProgress, type JobKind, type JobProgressOf, type JobResultOf } from '../../src-shared/contract/channels/jobs';
import { api } from '../api/client';
import { describeError } from '../api/messages';

type EndListener = (job: AnyJobProgress) => void;

/** Every job main reports, kept current from `job.progress` events. */
export class JobsState {
  byId = $state<Record<string, AnyJobProgress>>({});

  readonly list = $derived(Object.values(this.byId).sort((a, b) => b.startedAt.localeCompare(a.startedAt)));
  readonly running = $derived(this.list.filter((j) => !isTerminal(j.state)));
  /** Finished jobs cleared from the Jobs list (screens that follow a job still read it). */
  readonly #cleared = new SvelteSet<string>();
  /** What the Jobs list shows: every job but those cleared. */
  readonly shown = $derived(this.list.filter((j) => !this.#cleared.has(j.jobId)));
  readonly finishedShown = $derived(this.shown.filter((j) => isTerminal(j.state)).length);
  /** Called once when a job ends; plain bookkeeping, nothing renders from it. */
  #endListeners: Record<string, EndListener[]> = {};

  constructor() {
    api.on('job.progress', (progress) => {
      this.byId[progress.jobId] = progress;
      if (!isTerminal(progress.state)) return;
      const listeners = this.#endListeners[progress.jobId] ?? [];
      delete this.#endListeners[progress.jobId];
      for (const listener of listeners) listener(progress);
    });
  }

  /** Calls `listener` when the job ends (at once if it already has). */
  whenEnded(jobId: string, listener: EndListener): void {
    const known = this.byId[jobId];
    if (known && isTerminal(known.state)) listener(known);
    else (this.#endListeners[jobId] ??= []).push(listener);
  }

  /** Clears every finished job from the Jobs list; running ones stay. */
  clearFinished(): void {
    for (const job of this.list) if (isTerminal(job.state)) this.#cleared.add(job.jobId);
  }

  async cancel(jobId: string): Promise<void> {
    await api.invoke('jobs.cancel', { jobId });
  }
}

export const jobs = new JobsState();

export interface TrackJobOptions<K extends JobKind> {
  /** Runs once when the job ends (done, failed or cancelled), unless it was forgotten with `reset` first. */
  onEnd?: (job: JobProgressOf<K>) => void;
  /** Shown when the job failed without a message. */
  failedMessage?: string;
}

/**
 * One job a screen starts and follows: its live progress, its result typed by the contract (`JobResults`),
 * and why it could not start or failed. The one job-tracking helper of the renderer (see `trackJob`).
 */
export class TrackedJob<K extends JobKind> {
  #jobId = $state<string | null>(null);
  /** Why the start request itself was refused (the job never ran). */
  startError = $state<string | null>(null);

  readonly job: JobProgressOf<K> | undefined = $derived.by(() => {
    const job = this.#jobId === null ? undefined : jobs.byId[this.#jobId];
    return job && isJobOf(job, this.kind) ? job : undefined;
  });
  readonly running = $derived(this.job !== undefined && !isTerminal(this.job.state));
  readonly result: JobResultOf<K> | undefined = $derived(this.job?.state === 'done' ? this.job.result : undefined);
  /** Why the job failed while running; null otherwise. */
  readonly failure = $derived.by(() => (this.job?.state === 'failed' ? (this.job.error?.message ?? this.options.failedMessage ?? 'The job failed.') : null));
  /** The start error or the failure, whichever applies. */
  readonly error = $derived(this.startError ?? this.failure);

  constructor(
    readonly kind: K,
    private readonly options: TrackJobOptions<K> = {},
  ) {}

  /** Starts the job through `request` (a channel returning `{jobId}`) and follows it. */
  async start(request: () => Promise<{ jobId: string }>): Promise<void> {
    this.startError = null;
    try {
      const { jobId } = await request();
      this.#jobId = jobId;
      jobs.whenEnded(jobId, (end) => {
        if (this.#jobId === jobId && isJobOf(end, this.kind)) this.options.onEnd?.(end);
      });
    } catch (error) {
      this.startError = describeError(error);
    }
  }

  cancel(): void {
    if (this.#jobId !== null) void jobs.cancel(this.#jobId);
  }

  /** Forgets the job (another scan was opened, a new check began): no progress, no result, no onEnd. */
  reset(): void {
    this.#jobId = null;
    this.startError = null;
  }
}

/** Follows a job of `kind` that this screen starts: `const job = trackJob('import', { onEnd })`, then `job.start(() => api.invoke(...))`. */
export function trackJob<K extends JobKind>(kind: K, options?: TrackJobOptions<K>): TrackedJob<K> {
  return new TrackedJob(kind, options);
}
