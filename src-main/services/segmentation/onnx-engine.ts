import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { AppError } from '../../../src-shared/contract';
import type { ModelEntry } from '../models/registry';
import type { EngineOutputs, SegmentationEngine } from './engine';
import { surfacesSpec, type SurfacesSpec } from './surface-decode';

/**
 * Execution providers to try, best first, always ending with CPU: CUDA on Linux/Windows, DirectML on
 * Windows, CoreML on macOS. STRATUM_EP=cpu|cuda|... forces one (tests, benchmarks).
 */
export function candidateProviders(platform: NodeJS.Platform = process.platform): string[] {
  const forced = process.env.STRATUM_EP;
  if (forced) return forced === 'cpu' ? ['cpu'] : [forced, 'cpu'];
  if (platform === 'win32') return ['cuda', 'dml', 'cpu'];
  if (platform === 'darwin') return ['coreml', 'cpu'];
  if (platform === 'linux') return ['cuda', 'cpu'];
  return ['cpu'];
}

/** Provider libraries that onnxruntime-node loads at run time when the backend is not bundled. */
const PROVIDER_LIBRARIES: Record<string, string[]> = {
  cuda: ['libonnxruntime_providers_cuda.so', 'onnxruntime_providers_cuda.dll'],
  tensorrt: ['libonnxruntime_providers_tensorrt.so', 'onnxruntime_providers_tensorrt.dll'],
};

/**
 * Whether this onnxruntime-node build can run `name`: listed as a backend and, when not bundled, its
 * provider library present beside the binding (otherwise ORT logs a loud native error on every try).
 */
export function providerAvailable(name: string): boolean {
  if (name === 'cpu') return true;
  let list: { name: string; bundled?: boolean }[] | undefined;
  try {
    list = (ort as unknown as { listSupportedBackends?: () => { name: string; bundled?: boolean }[] }).listSupportedBackends?.();
  } catch {
    list = undefined;
  }
  const entry = list?.find((b) => b.name === name);
  if (list && !entry) return false;
  if (!entry || entry.bundled !== false) return true;
  try {
    const bin = join(dirname(createRequire(__filename).resolve('onnxruntime-node')), '..', 'bin');
    const dirs = readdirSync(bin, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    return dirs.some((e) => (PROVIDER_LIBRARIES[name] ?? []).includes(e.name));
  } catch {
    return false;
  }
}

export class OnnxEngine implements SegmentationEngine {
  readonly kind = 'onnx' as const;

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly executionProvider: string,
    readonly model: ModelEntry,
    /** Why better providers were skipped (for status/logs). */
    readonly fallbacks: string[],
    /** The boundary-rows output of a surface model (null: logits only). */
    private readonly surfaces: SurfacesSpec | null,
  ) {}

  static async create(model: ModelEntry): Promise<OnnxEngine> {
    const surfaces = surfacesSpec(model.card); // an invalid card entry fails before a session is made
    const fallbacks: string[] = [];
    const threads = Number(process.env.STRATUM_THREADS) || availableParallelism();
    for (const ep of candidateProviders()) {
      if (!providerAvailable(ep)) {
        fallbacks.push(`${ep}: not available in this onnxruntime-node build`);
        continue;
      }
      try {
        const session = await ort.InferenceSession.create(model.weightsPath, {
          executionProviders: [ep],
          graphOptimizationLevel: 'all',
          intraOpNumThreads: threads,
          interOpNumThreads: 1,
          executionMode: 'sequential',
          // no busy-waiting between ops: on a small machine the spinning threads steal the cores that
          // decoding and post-processing need (measured: ~25% less CPU per image, same latency)
          extra: { session: { intra_op: { allow_spinning: process.env.STRATUM_ORT_SPIN ?? '0' } } },
        });
        return new OnnxEngine(session, ep, model, fallbacks, surfaces);
      } catch (error) {
        fallbacks.push(`${ep}: ${(error as Error).message.split('\n')[0]}`);
      }
    }
    throw new AppError('MODEL_UNAVAILABLE', `ONNX Runtime could not load model "${model.card.id}": ${fallbacks.join('; ')}`, { fallbacks });
  }

  async run(input: Float32Array, n: number, height: number, width: number): Promise<Float32Array> {
    return (await this.runOutputs(input, n, height, width)).logits;
  }

  async runOutputs(input: Float32Array, n: number, height: number, width: number): Promise<EngineOutputs> {
    const card = this.model.card;
    const dims = card.input.layout === 'NHWC' ? [n, height, width, 1] : [n, 1, height, width];
    const feeds = { [this.session.inputNames[0] ?? card.input.name]: new ort.Tensor('float32', input, dims) };
    const out = await this.session.run(feeds);
    const value = out[card.output.name] ?? out[this.session.outputNames[0]!];
    if (!value) throw new AppError('MODEL_UNAVAILABLE', `Model "${card.id}" produced no output "${card.output.name}"`);
    if (!this.surfaces) return { logits: value.data as Float32Array };
    const rows = out[this.surfaces.name];
    if (!rows) throw new AppError('MODEL_UNAVAILABLE', `Model "${card.id}" produced no surface output "${this.surfaces.name}"`);
    return { logits: value.data as Float32Array, surfaces: rows.data as Float32Array };
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
