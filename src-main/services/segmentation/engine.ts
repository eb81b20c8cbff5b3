import type { ModelEntry } from '../models/registry';
import type { Precision } from '../models/variants';
import type { SessionTuning } from './ort-session';

export type EngineKind = 'onnx' | 'tfjs';

/** One loaded network. Input and output are NCHW float32; the output has one plane per model class. */
export interface SegmentationEngine {
  readonly kind: EngineKind;
  /** What actually runs: 'cpu', 'cuda', 'dml', 'coreml', or for TF.js the backend package. */
  readonly executionProvider: string;
  readonly model: ModelEntry;
  /** The arithmetic of the file that runs: ONNX on CPU runs a model's int8 variant where one is installed. */
  readonly precision?: Precision;
  /** `input`: [n, 1, height, width]; resolves to logits [n, classes, height, width]. */
  run(input: Float32Array, n: number, height: number, width: number): Promise<Float32Array>;
  /** Like run(), plus the boundary rows [n, 9, width] of a surface model (surface-decode.ts); engines
   * without it, or models without a `surfaces` card entry, give logits only. */
  runOutputs?(input: Float32Array, n: number, height: number, width: number): Promise<EngineOutputs>;
  dispose(): Promise<void>;
}

export interface EngineOutputs {
  logits: Float32Array;
  surfaces?: Float32Array;
}

/** `tuning`: ONNX Runtime session settings (default: ort-session.ts; benchmarks vary them). */
export async function createEngine(kind: EngineKind, model: ModelEntry, tuning?: SessionTuning): Promise<SegmentationEngine> {
  if (kind === 'tfjs') {
    const { TfjsEngine } = await import('./tfjs-engine');
    return TfjsEngine.create(model);
  }
  const { OnnxEngine } = await import('./onnx-engine');
  return OnnxEngine.create(model, tuning);
}

/** The engine a model's format needs. */
export function engineForModel(model: ModelEntry): EngineKind {
  return model.card.format === 'tfjs-layers' ? 'tfjs' : 'onnx';
}
