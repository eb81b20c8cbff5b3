import type { WireError } from '../../../src-shared/contract';
import type { EngineStatus } from '../../../src-shared/domain/app-info';
import type { SegmentationSummary } from '../../../src-shared/domain/segmentation';
import type { EngineKind } from './engine';
import type { EngineFacts, FlipBasis, SegmentRequest, TensorShape } from './postprocess';

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

/**
 * Messages between workers/inference.worker.ts and workers/postprocess.worker.ts: the network's outputs
 * of one image go out (transferred where ONNX Runtime's buffer allows it), its labels and summary come
 * back, with the flip check's basis when the gate wants the mirrored run.
 */
export type ToPostprocess =
  | { type: 'init'; facts: EngineFacts; flipMode: FlipMode }
  | {
      type: 'job';
      id: number;
      req: SegmentRequest;
      tensor: TensorShape;
      logits: Float32Array;
      offset: number;
      surfaceRows?: Float32Array;
      timings: Record<string, number>;
      /** false: the image was downscaled to bound memory, so it is not run twice. */
      mirrorable: boolean;
    };

export type FromPostprocess =
  | { type: 'done'; id: number; labels: Uint8Array; summary: SegmentationSummary; flipBasis: FlipBasis | null }
  | { type: 'failed'; id: number; error: WireError };

/** STRATUM_FLIP_CHECK: 0 never, always on every image, otherwise as analysis/segmentation/flip-gate.ts decides. */
export type FlipMode = 'off' | 'gated' | 'always';

export function flipModeOf(env: string | undefined): FlipMode {
  return env === '0' ? 'off' : env === 'always' ? 'always' : 'gated';
}
