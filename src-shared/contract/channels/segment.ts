import { z } from 'zod';
import { channel } from '../define';
import type { EngineStatus } from '../../domain/app-info';
import type { ReviewState, SegmentationFacts } from '../../domain/review';
import type { SegmentationSummary } from '../../domain/segmentation';

/** One segmentation's review facts (domain/review.ts), named, and whether it is the scan's current one. */
export interface SegmentationEntry extends SegmentationFacts {
  /** "model <id> <version>", "corrected by <who>" or "imported annotation" (domain/review.ts segmentationName). */
  name: string;
  current: boolean;
}

/** A stored segmentation as the viewer needs it: the label map travels as a lossless PNG. */
export interface SegmentationView extends SegmentationEntry {
  segmentationId: number;
  scanId: number;
  /** The B-scan of the scan's series it segments. */
  bscanIndex: number;
  model: { id: string; version: string } | null;
  /** Single-channel PNG, pixel = canonical class index 0-8, base64. */
  labelMapPngBase64: string;
  summary: SegmentationSummary | null;
}

/** Every segmentation of a scan (none discarded), which is current, the scan's state and what re-segmenting would ask. */
export interface SegmentationHistory {
  scanId: number;
  state: ReviewState;
  currentId: number | null;
  /** Oldest first. */
  segmentations: SegmentationEntry[];
  /** Why re-segmenting must ask first (domain/review.ts resegmentQuestion); null when it need not. */
  resegmentQuestion: string | null;
}

/** Which B-scan of a series (domain/series.ts); 0, a plain image's only one, by default. */
const bscanIndex = z.number().int().min(0).max(100_000).optional();

/** Label maps up to 4096 x 4096 pixels (one byte each) travel in one request. */
const MAX_LABELS_BASE64 = Math.ceil((4096 * 4096) / 3) * 4;

export const segmentChannels = {
  'segment.scan': channel<{ jobId: string }>()({
    description:
      "Starts a job that segments a catalog scan and stores the label map and summary beside its other segmentations (none discarded); the job's result is {scanId, segmentationId}. A series of several B-scans is segmented B-scan by B-scan (progress per B-scan; a new run resumes, skipping B-scans this model version did already; result.bscans says how many). A scan with a correction or a sign-off is refused with CONFIRMATION_REQUIRED (saying what it has) unless `force` is set.",
    request: z.object({ scanId: z.number().int().positive(), force: z.boolean().optional() }).strict(),
    errors: ['NOT_FOUND', 'MODEL_UNAVAILABLE', 'BAD_INPUT', 'CONFIRMATION_REQUIRED'],
  }),
  'segment.status': channel<EngineStatus & { fallbacks: string[] }>()({
    description: 'The segmentation engine, its execution provider (null until the model is loaded) and the model (untrained placeholder flagged).',
    request: z.object({ load: z.boolean().optional() }).strict(),
    errors: ['MODEL_UNAVAILABLE'],
  }),
  'segment.get': channel<SegmentationView | null>()({
    description: "A scan's newest segmentation of a kind (default the model's), or its current one (kind 'current'); null when it has none.",
    request: z.object({ scanId: z.number().int().positive(), kind: z.enum(['model', 'manual', 'current']).optional(), bscanIndex }).strict(),
    errors: ['NOT_FOUND'],
  }),
  'segment.history': channel<SegmentationHistory>()({
    description: "Every segmentation of a scan's B-scan (default 0) without label maps, named, which is current, the scan's review state and what re-segmenting would ask first.",
    request: z.object({ scanId: z.number().int().positive(), bscanIndex }).strict(),
    errors: ['NOT_FOUND'],
  }),
  'segment.saveCorrection': channel<SegmentationView>()({
    description:
      'Stores a boundary-corrected label map as a new manual segmentation, which becomes current (state "corrected"): thickness recomputed, the share of labelled pixels changed from the model segmentation it started from recorded, who and when in the audit log.',
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
  'segment.signOff': channel<SegmentationView>()({
    description:
      'Signs off one segmentation (or withdraws its sign-off): who and when are stored on it and in the audit log; the scan is "signed off" when it is the current one. CONFLICT when it already is (or, to withdraw, is not) signed off.',
    request: z.object({ segmentationId: z.number().int().positive(), withdraw: z.boolean().optional() }).strict(),
    errors: ['NOT_FOUND', 'CONFLICT'],
  }),
} as const;
