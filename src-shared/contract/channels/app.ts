import { z } from 'zod';
import { channel } from '../define';
import type { AppInfo } from '../../domain/app-info';

export const appChannels = {
  'app.info': channel<AppInfo>()({
    description: 'Versions, paths and the active engine/model.',
    request: z.object({}).strict(),
  }),
  'app.pickPath': channel<{ path: string | null }>()({
    description: "Opens the desktop shell's native picker for a folder (or a CSV manifest); path is null when the user cancels. NOT_AVAILABLE on hosts without native dialogs (the browser host): type the path instead.",
    request: z.object({ kind: z.enum(['folder', 'folder-or-manifest']), title: z.string().min(1).max(200) }).strict(),
    errors: ['NOT_AVAILABLE'],
  }),
  'app.checkDataFolder': channel<{ jobId: string }>()({
    description: 'Starts a job that checks the data folder: writable, catalog integrity, library file hashes.',
    request: z.object({}).strict(),
    errors: ['IO'],
  }),
} as const;
