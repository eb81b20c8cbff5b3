import { resultOf, type JobKind, type JobResultOf } from '../../src-shared/contract/channels/jobs';
import type { JobBody } from '../jobs/job-runner';
import type { Services } from '../services/container';

/**
 * Runs a service job from the CLI: progress on stderr (only when it is a terminal), Ctrl-C cancels
 * the job cleanly, and the job's result (or error) comes back as if the call were synchronous.
 */
export async function runJobWithProgress<K extends JobKind>(s: Services, kind: K, title: string, body: JobBody<JobResultOf<K>>): Promise<JobResultOf<K>> {
  const jobId = s.jobs.start(kind, title, body);
  const tty = process.stderr.isTTY;
  const unsubscribe = s.bus.on('job.progress', (p) => {
    if (!tty || p.jobId !== jobId) return;
    const pct = p.fraction === null ? '' : `${Math.round(p.fraction * 100)}% `;
    process.stderr.write(`\r\x1b[K${pct}${p.stage}${p.detail ? `: ${p.detail.slice(-60)}` : ''}`);
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
