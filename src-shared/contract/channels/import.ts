import { z } from 'zod';
import { channel } from '../define';
import type { ImportDryRun } from '../../domain/catalog';

const sourcePath = z.string().min(1).max(4096);

export const importChannels = {
  'import.dryRun': channel<ImportDryRun>()({
    description:
      'What importing a folder or CSV manifest would do: found, would import, duplicates (catalog and batch), failures with reasons, missing scale, unknown eye, counts per patient and tag. Writes nothing.',
    request: z.object({ path: sourcePath }).strict(),
    errors: ['BAD_INPUT'],
  }),
  'import.start': channel<{ jobId: string }>()({
    description: "Starts the import job; its ImportResult is the job's `result`. Resumable and idempotent.",
    request: z.object({ path: sourcePath, segment: z.boolean().optional() }).strict(),
    errors: ['BAD_INPUT'],
  }),
  'import.samples': channel<{ jobId: string }>()({
    description: 'Imports the bundled sample B-scans (OCTID, with attribution in resources/samples) as an import job.',
    request: z.object({}).strict(),
    errors: ['NOT_FOUND'],
  }),
} as const;
