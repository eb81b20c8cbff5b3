import * as ort from 'onnxruntime-node';
import { AppError } from '../../../src-shared/contract/errors';
import type { ModelEntry } from '../models/registry';
import { variantBeside, type Precision } from '../models/variants';
import type { EngineOutputs, SegmentationEngine } from './engine';
import { candidateProviders, providerLibraryPresent } from './onnx-providers';
import { defaultTuning, sessionOptions, type SessionTuning } from './ort-session';
import { chooseWeights, precisionPolicy } from './precision';
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
    /** What runs: the float model, or on CPU its int8 variant (precision.ts). */
    readonly precision: Precision,
    /** The model whose file runs: `model` itself or its variant (`model` stays the network's identity). */
    readonly weights: ModelEntry,
  ) {}

  /** `tuning`: the session settings (default: ort-session.ts, chosen by measurement; benchmarks vary them). */
  static async create(model: ModelEntry, tuning: SessionTuning = defaultTuning()): Promise<OnnxEngine> {
    const surfaces = surfacesSpec(model.card); // an invalid card entry fails before a session is made
    const fallbacks: string[] = [];
    const policy = precisionPolicy();
    const int8 = variantBeside(model, 'int8');
    for (const ep of candidateProviders()) {
      if (!providerAvailable(ep)) {
        fallbacks.push(`${ep}: not available in this onnxruntime-node build`);
        continue;
      }
      let chosen = chooseWeights(ep, model, int8, policy);
      try {
        let session: ort.InferenceSession;
        try {
          session = await ort.InferenceSession.create(chosen.weights.weightsPath, sessionOptions(ep, tuning));
        } catch (error) {
          if (chosen.weights === model) throw error;
          // a variant ONNX Runtime cannot load: the float model on the same provider, saying why
          fallbacks.push(`int8 variant ${chosen.weights.card.id} not used on ${ep}: ${(error as Error).message.split('\n')[0]}`);
          chosen = { weights: model, precision: 'float32', note: null };
          session = await ort.InferenceSession.create(model.weightsPath, sessionOptions(ep, tuning));
        }
        if (chosen.note) fallbacks.push(chosen.note);
        return new OnnxEngine(session, ep, model, fallbacks, surfaces, chosen.precision, chosen.weights);
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
