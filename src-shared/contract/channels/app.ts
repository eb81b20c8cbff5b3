import { z } from 'zod';
import { channel } from '../define';
import type { AppInfo } from '../../domain/app-info';
import { MODEL_ID, type InstalledModels } from '../../domain/installed-models';

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
  'app.models': channel<InstalledModels>()({
    description: "The installed segmentation models (bundled and the user's own), their precision, which is the default, and why a broken one cannot run.",
    request: z.object({}).strict(),
    errors: ['IO', 'BAD_INPUT'],
  }),
  'app.setDefaultModel': channel<InstalledModels>()({
    description: 'Chooses the model segmentation uses from the next run (verified first); null: back to the built-in choice. Returns the models as app.models does.',
    request: z.object({ id: z.string().regex(MODEL_ID, 'not a model id').max(200).nullable() }).strict(),
    errors: ['NOT_FOUND', 'MODEL_UNAVAILABLE', 'IO', 'BAD_INPUT'],
  }),
} as const;
