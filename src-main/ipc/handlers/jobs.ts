import type { Handlers } from '../dispatcher';
import type { Services } from '../../services/container';

export function jobHandlers(s: Services): Pick<Handlers, 'jobs.list' | 'jobs.get' | 'jobs.cancel'> {
  return {
    'jobs.list': async () => s.jobs.list(),
    'jobs.get': async ({ jobId }) => s.jobs.get(jobId),
    'jobs.cancel': async ({ jobId }) => ({ cancelled: s.jobs.cancel(jobId) }),
  };
}
