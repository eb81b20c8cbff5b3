import { resultOf, type JobKind, type JobResultOf } from '../../src-shared/contract/channels/jobs';
import type { JobBody } from '../jobs/job-runner';
import type { Services } from '../services/container';

export interface ProgressOptions {
  /**
   * Also when stderr is not a terminal (a log, CI): one line each time the stage changes ("Segmenting:
   * 21 scans"), never the per-item ticks. For long work whose stages a person waits on (import, segment).
   */
  stageLines?: boolean;
}

/**
 * Runs a service job from the CLI: progress on stderr (a live line on a terminal), Ctrl-C cancels the
 * job cleanly, and the job's result (or error) comes back as if the call were synchronous.
 */
export async function runJobWithProgress<K extends JobKind>(
  s: Pick<Services, 'jobs' | 'bus'>,
  kind: K,
  title: string,
  body: JobBody<JobResultOf<K>>,
  options: ProgressOptions = {},
): Promise<JobResultOf<K>> {
  const jobId = s.jobs.start(kind, title, body);
  const tty = process.stderr.isTTY;
  let lastStage = '';
  const unsubscribe = s.bus.on('job.progress', (p) => {
    if (p.jobId !== jobId) return;
    if (tty) {
      const pct = p.fraction === null ? '' : `${Math.round(p.fraction * 100)}% `;
      process.stderr.write(`\r\x1b[K${pct}${p.stage}${p.detail ? `: ${p.detail.slice(-60)}` : ''}`);
    } else if (options.stageLines && p.stage && p.stage !== lastStage) {
      process.stderr.write(`${p.stage}${p.detail ? `: ${p.detail.slice(-80)}` : ''}\n`);
    }
    lastStage = p.stage;
  });
  const onSigint = () => s.jobs.cancel(jobId);
  process.once('SIGINT', onSigint);
  try {
    const end = await s.jobs.wait(jobId);
    if (tty) process.stderr.write('\r\x1b[K');
    return resultOf(end, kind);
  } finally {
    unsubscribe();
    process.off('SIGINT', onSigint);
  }
}
