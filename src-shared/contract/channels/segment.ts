import { z } from 'zod';
import { channel } from '../define';
import type { EngineStatus } from '../../domain/app-info';

export const segmentChannels = {
  'segment.scan': channel<{ jobId: string }>()({
    description:
      "Starts a job that segments a catalog scan and stores the label map and summary in the catalog; the job's result is {scanId, segmentationId}.",
    request: z.object({ scanId: z.number().int().positive() }).strict(),
    errors: ['NOT_FOUND', 'MODEL_UNAVAILABLE', 'BAD_INPUT'],
  }),
  'segment.status': channel<EngineStatus & { fallbacks: string[] }>()({
    description: 'The segmentation engine, its execution provider (null until the model is loaded) and the model (untrained placeholder flagged).',
    request: z.object({ load: z.boolean().optional() }).strict(),
    errors: ['MODEL_UNAVAILABLE'],
  }),
} as const;
