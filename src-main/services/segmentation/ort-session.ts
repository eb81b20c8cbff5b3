import { availableParallelism } from 'node:os';
import type { InferenceSession } from 'onnxruntime-node';

/**
 * The ONNX Runtime session settings, each chosen by measurement (`npm run bench segment` prints every
 * lever alone; README "Speed"), not by default. One place, so the engine and the benchmark agree.
 */
export interface SessionTuning {
  graphOptimizationLevel: 'disabled' | 'basic' | 'extended' | 'all';
  intraOpNumThreads: number;
  interOpNumThreads: number;
  executionMode: 'sequential' | 'parallel';
  enableCpuMemArena: boolean;
  /** Intra-op threads busy-wait between kernels (session.intra_op.allow_spinning). */
  spinning: boolean;
}

/**
 * - graph optimisation 'all': the level that fuses the int8 QDQ groups into QLinearConv and lays the float
 *   convs out in NCHWc blocks; lower levels run the QDQ graph as DequantizeLinear + float Conv.
 * - intra-op threads = cores: one image's network uses every core (a single scan is what the viewer waits for).
 * - inter-op 1, sequential: the UNet is one chain of kernels, there is nothing to run beside another.
 * - CPU memory arena on: the same tensor sizes recur image after image.
 * - no spinning: between kernels the waiting threads would take the cores that decoding and
 *   post-processing need on a small machine.
 * STRATUM_THREADS and STRATUM_ORT_SPIN=1 override the two that depend on the machine.
 */
export function defaultTuning(): SessionTuning {
  return {
    graphOptimizationLevel: 'all',
    intraOpNumThreads: Number(process.env.STRATUM_THREADS) || availableParallelism(),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    enableCpuMemArena: true,
    spinning: process.env.STRATUM_ORT_SPIN === '1',
  };
}

export function sessionOptions(provider: string, tuning: SessionTuning): InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    graphOptimizationLevel: tuning.graphOptimizationLevel,
    intraOpNumThreads: tuning.intraOpNumThreads,
    interOpNumThreads: tuning.interOpNumThreads,
    executionMode: tuning.executionMode,
    enableCpuMemArena: tuning.enableCpuMemArena,
    extra: { session: { intra_op: { allow_spinning: tuning.spinning ? '1' : '0' } } },
  };
}
