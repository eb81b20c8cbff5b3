import { AppError } from '../../src-shared/contract';
import type { JobBody } from '../jobs/job-runner';
import type { Services } from '../services/container';

/**
 * Runs a service job from the CLI: progress on stderr (only when it is a terminal), Ctrl-C cancels
 * the job cleanly, and the job's result (or error) comes back as if the call were synchronous.
 */
export async function runJobWithProgress<T>(s: Services, kind: string, title: string, body: JobBody<T>): Promise<T> {
  const jobId = s.jobs.start(kind, title, body);
  const tty = process.stderr.isTTY;
  const unsubscribe = s.bus.subscribe((event, payload) => {
    if (!tty || event !== 'job.progress') return;
    const p = payload as { jobId: string; fraction: number | null; stage: string; detail?: string };
    if (p.jobId !== jobId) return;
    const pct = p.fraction === null ? '' : `${Math.round(p.fraction * 100)}% `;
    process.stderr.write(`\r\x1b[K${pct}${p.stage}${p.detail ? `: ${p.detail.slice(-60)}` : ''}`);
  });
  const onSigint = () => s.jobs.cancel(jobId);
  process.once('SIGINT', onSigint);
  try {
    const end = await s.jobs.wait(jobId);
    if (tty) process.stderr.write('\r\x1b[K');
    if (end.state === 'done') return end.result as T;
    if (end.state === 'cancelled') throw new AppError('CANCELLED', `${title}: cancelled`);
    throw new AppError((end.error?.code as 'INTERNAL') ?? 'INTERNAL', end.error?.message ?? `${title} failed`);
  } finally {
    unsubscribe();
    process.off('SIGINT', onSigint);
  }
}
