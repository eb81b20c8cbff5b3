import { event } from './define';
import type { AnyJobProgress } from './channels/jobs';

/** Everything main pushes to the renderer. */
export const events = {
  'job.progress': event<AnyJobProgress>('A job started, advanced or ended; `isJobOf` types its result.'),
  'catalog.changed': event<{ reason: string; scanIds?: number[] }>('Scans, patients or segmentations changed.'),
} as const;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = NonNullable<(typeof events)[E]['payload']>;
