import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import { AppError } from '../../../src-shared/contract';
import type { ModelEntry } from '../models/registry';
import type { EngineOutputs, SegmentationEngine } from './engine';
import { candidateProviders, providerLibraryPresent } from './onnx-providers';
import { surfacesSpec, type SurfacesSpec } from './surface-decode';

export { candidateProviders } from './onnx-providers';

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
  return providerLibraryPresent(name);
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
