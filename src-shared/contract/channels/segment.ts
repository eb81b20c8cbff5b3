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

/** Label maps up to 4096 x 4096 pixels (one byte each) travel in one request. */
const MAX_LABELS_BASE64 = Math.ceil((4096 * 4096) / 3) * 4;

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
  'segment.saveCorrection': channel<SegmentationView>()({
    description:
      'Stores a boundary-corrected label map as a new manual segmentation (review status "corrected"): thickness recomputed, the share of labelled pixels changed from the model segmentation it started from recorded, who and when in the audit log.',
    request: z
      .object({
        scanId: z.number().int().positive(),
        /** The model segmentation the correction started from (the share changed is measured against it). */
        baseSegmentationId: z.number().int().positive(),
        /** Row-major class indices 0-8, one byte per pixel, base64; the scan's width x height. */
        labelsBase64: z.string().min(1).max(MAX_LABELS_BASE64),
      })
      .strict(),
    errors: ['NOT_FOUND', 'BAD_INPUT'],
  }),
  'segment.review': channel<SegmentationView>()({
    description: 'Marks a segmentation reviewed (or back to auto); recorded with who and when in the audit log.',
    request: z.object({ segmentationId: z.number().int().positive(), status: z.enum(['reviewed', 'auto']) }).strict(),
    errors: ['NOT_FOUND'],
  }),
} as const;
