import { z } from 'zod';
import { channel } from '../define';
import type { JobProgress } from '../../domain/jobs';

export const jobId = z.string().min(1).max(64);

export const jobChannels = {
  'jobs.list': channel<JobProgress[]>()({
    description: 'All jobs of this session, newest first.',
    request: z.object({}).strict(),
  }),
  'jobs.get': channel<JobProgress>()({
    description: 'One job by id.',
    request: z.object({ jobId }).strict(),
    errors: ['NOT_FOUND'],
  }),
  'jobs.cancel': channel<{ cancelled: boolean }>()({
    description: 'Asks a job to stop; it ends as "cancelled". False when it had already ended.',
    request: z.object({ jobId }).strict(),
    errors: ['NOT_FOUND'],
  }),
} as const;
