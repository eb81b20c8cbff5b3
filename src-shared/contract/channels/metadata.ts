import { z } from 'zod';
import { channel } from '../define';
import { LATERALITIES } from '../../domain/laterality';
import { PATIENT_SEXES, type ScanUpdateResult } from '../../domain/scan-metadata';

/**
 * Editing what an import could not know (issue 15.2). The schema checks the shape only, with generous
 * bounds against abuse; the rules a person must follow (real dates, not in the future, plausible
 * spacing, text lengths) are domain/scan-metadata.ts's, checked by the service so that its VALIDATION
 * error names the field in words (`details.field`, `details.problems`).
 */
const text = z.string().max(10_000);
const spacing = z.number().nullable();

export const scanChangesSchema = z
  .object({
    patient: z
      .object({
        externalId: text.optional(),
        name: text.nullable().optional(),
        birthDate: text.nullable().optional(),
        sex: z.enum(PATIENT_SEXES).nullable().optional(),
      })
      .strict()
      .optional(),
    eye: z.enum(LATERALITIES).optional(),
    acquiredAt: text.nullable().optional(),
    device: text.nullable().optional(),
    scale: z.object({ axialUmPerPx: spacing, lateralUmPerPx: spacing }).strict().nullable().optional(),
  })
  .strict();

export const metadataChannels = {
  'catalog.updateScans': channel<ScanUpdateResult>()({
    description:
      'Edits the patient (id, name, birth date, sex), eye (source "user"), acquisition date, device and scale (µm per pixel, provenance "user") of one scan or each scan of a selection, in one transaction. ' +
      'Every changed field is audited with who, when, before and after; a change of eye or of the scale measured with recomputes the zones and µm values of the stored segmentations from their label maps (the network does not run again).',
    request: z
      .object({
        scanIds: z.array(z.number().int().positive()).min(1).max(500),
        changes: scanChangesSchema,
      })
      .strict(),
    errors: ['NOT_FOUND', 'VALIDATION', 'CONFLICT'],
  }),
} as const;
