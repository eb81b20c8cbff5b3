import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../src-shared/contract/errors';
import { writeFileAtomic } from '../files/atomic-write';

/** The data folder's settings file: per data folder, so a second catalog (--home) has its own. */
export const SETTINGS_FILE = 'settings.json';

const settingsSchema = z
  .object({
    /** The model segmentation uses unless a command names one (`stratum models default ID`). */
    defaultModel: z.string().min(1).nullable().default(null),
  })
  .loose();

export type Settings = z.infer<typeof settingsSchema>;

/**
 * The settings of a data folder; defaults where the file is absent. A file that is not valid settings is
 * an error naming it (silently ignoring it would run a model the user did not choose).
 */
export function readSettings(home: string): Settings {
  const path = join(home, SETTINGS_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return settingsSchema.parse({});
    throw new AppError('IO', `Cannot read the settings file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { path });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AppError('BAD_INPUT', `The settings file ${path} is not valid JSON; fix or delete it`, { path });
  }
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) throw new AppError('BAD_INPUT', `The settings file ${path} is invalid (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`, { path });
  return parsed.data;
}

/** Changes some settings, keeping the rest (and keys a newer version wrote); written atomically. */
export function updateSettings(home: string, patch: Partial<Settings>): Settings {
  const next = { ...readSettings(home), ...patch };
  writeFileAtomic(join(home, SETTINGS_FILE), `${JSON.stringify(next, null, 2)}\n`);
  return next;
}
