import { event } from './define';
import type { JobProgress } from '../domain/jobs';

/** Everything main pushes to the renderer. */
export const events = {
  'job.progress': event<JobProgress>('A job started, advanced or ended.'),
  'catalog.changed': event<{ reason: string; scanIds?: number[] }>('Scans, patients or segmentations changed.'),
} as const;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = NonNullable<(typeof events)[E]['payload']>;
