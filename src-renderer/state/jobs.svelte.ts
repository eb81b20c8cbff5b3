import type { JobProgress } from '../../src-shared/domain/jobs';
import { TERMINAL_JOB_STATES } from '../../src-shared/domain/jobs';
import { api } from '../api/client';

/** Every job main reports, kept current from `job.progress` events. */
export class JobsState {
  byId = $state<Record<string, JobProgress>>({});

  readonly list = $derived(Object.values(this.byId).sort((a, b) => b.startedAt.localeCompare(a.startedAt)));
  readonly running = $derived(this.list.filter((j) => !TERMINAL_JOB_STATES.includes(j.state)));

  constructor() {
    api.on('job.progress', (progress) => {
      this.byId[progress.jobId] = progress;
    });
  }

  async cancel(jobId: string): Promise<void> {
    await api.invoke('jobs.cancel', { jobId });
  }
}

export const jobs = new JobsState();
