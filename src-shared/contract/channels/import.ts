import { z } from 'zod';
import { channel } from '../define';
import { PATIENT_CONFLICT_POLICIES, type ImportDryRun } from '../../domain/catalog';

const sourcePath = z.string().min(1).max(4096);
/** What to do when a manifest row's patient details differ from the catalog's (domain/catalog.ts); default refuse. */
const onPatientConflict = z.enum(PATIENT_CONFLICT_POLICIES).optional();

export const importChannels = {
  'import.dryRun': channel<ImportDryRun>()({
    description:
      'What importing a folder or CSV manifest would do: found, would import, duplicates (catalog and batch), failures with reasons (PATIENT_CONFLICT per manifest row), skipped entries with why, notices, missing scale, unknown eye, counts per patient and tag. Writes nothing.',
    request: z.object({ path: sourcePath, onPatientConflict }).strict(),
    errors: ['BAD_INPUT'],
  }),
  'import.start': channel<{ jobId: string }>()({
    description: "Starts the import job; its ImportResult is the job's `result`. Resumable and idempotent.",
    request: z.object({ path: sourcePath, segment: z.boolean().optional(), onPatientConflict }).strict(),
    errors: ['BAD_INPUT'],
  }),
  'import.samples': channel<{ jobId: string }>()({
    description: 'Imports the bundled sample B-scans (OCTID, with attribution in resources/samples) as an import job.',
    request: z.object({}).strict(),
    errors: ['NOT_FOUND'],
  }),
} as const;
