import { z } from 'zod';
import { channel } from '../define';
import type { AppInfo } from '../../domain/app-info';

export const appChannels = {
  'app.info': channel<AppInfo>()({
    description: 'Versions, paths and the active engine/model.',
    request: z.object({}).strict(),
  }),
  'app.checkDataFolder': channel<{ jobId: string }>()({
    description: 'Starts a job that checks the data folder: writable, catalog integrity, library file hashes.',
    request: z.object({}).strict(),
    errors: ['IO'],
  }),
} as const;
