import { z } from 'zod';
import { channel } from '../define';
import type { EngineStatus } from '../../domain/app-info';
import type { ReviewStatus } from '../../domain/catalog';
import type { SegmentationSummary } from '../../domain/segmentation';

/** A stored segmentation as the viewer needs it: the label map travels as a lossless PNG. */
export interface SegmentationView {
  segmentationId: number;
  scanId: number;
  kind: 'model' | 'manual';
  model: { id: string; version: string } | null;
  createdAt: string;
  /** Single-channel PNG, pixel = canonical class index 0-8, base64. */
  labelMapPngBase64: string;
  summary: SegmentationSummary | null;
  review: { status: ReviewStatus; by: string | null; at: string | null };
}

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
  'segment.get': channel<SegmentationView | null>()({
    description: "A scan's latest segmentation (of a kind, default the model's), or null when it has none.",
    request: z.object({ scanId: z.number().int().positive(), kind: z.enum(['model', 'manual']).optional() }).strict(),
    errors: ['NOT_FOUND'],
  }),
  'segment.review': channel<SegmentationView>()({
    description: 'Marks a segmentation reviewed (or back to auto); recorded with who and when in the audit log.',
    request: z.object({ segmentationId: z.number().int().positive(), status: z.enum(['reviewed', 'auto']) }).strict(),
    errors: ['NOT_FOUND'],
  }),
} as const;
