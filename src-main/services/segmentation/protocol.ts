import type { WireError } from '../../../src-shared/contract';
import type { EngineStatus } from '../../../src-shared/domain/app-info';
import type { SegmentationSummary } from '../../../src-shared/domain/segmentation';
import type { EngineKind } from './engine';
import type { SegmentRequest } from './postprocess';

/** Messages between the main side (InferenceClient) and workers/inference.worker.ts. */
export type ToWorker =
  | { type: 'init'; modelsRoot?: string; modelId?: string; engine?: EngineKind; batchSize?: number }
  | { type: 'segment'; id: number; req: SegmentRequest }
  | { type: 'cancel'; ids: number[] };

export type FromWorker =
  | { type: 'ready'; status: EngineStatus; fallbacks: string[]; loadMs: number }
  | { type: 'init-error'; error: WireError }
  | { type: 'result'; id: number; labels: Uint8Array; summary: SegmentationSummary }
  | { type: 'error'; id: number; error: WireError };
