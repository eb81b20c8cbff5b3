import { AppError } from '../../../src-shared/contract/errors';
import { ModelRegistry, type ModelEntry } from '../models/registry';
import { precisionOf, variantBeside, type Precision, type VariantLookup } from '../models/variants';

/**
 * Which weights run: 'auto' (default) runs a model's int8 variant on the CPU provider and the float model on
 * GPU providers (CUDA, DirectML, CoreML run float kernels; a QDQ graph there is float work plus the
 * quantise steps); 'float32' never swaps in a variant; 'int8' uses the variant on any provider.
 * STRATUM_PRECISION sets it (benchmarks, evaluation of the float model on a CPU machine).
 */
export type PrecisionPolicy = 'auto' | 'float32' | 'int8';

export function precisionPolicy(value = process.env.STRATUM_PRECISION): PrecisionPolicy {
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  if (value === 'float32' || value === 'int8') return value;
  throw new AppError('VALIDATION', `STRATUM_PRECISION must be auto, float32 or int8, not "${value}"`);
}

export interface ChosenWeights {
  /** The file that runs: the model itself or its variant. */
  weights: ModelEntry;
  precision: Precision;
  /** Why the variant is not used although one was asked for or is there (for the engine's notes). */
  note: string | null;
}

export function chooseWeights(provider: string, model: ModelEntry, int8: VariantLookup, policy: PrecisionPolicy): ChosenWeights {
  const own = precisionOf(model.card);
  if (own === 'int8' || policy === 'float32') return { weights: model, precision: own, note: null };
  const wanted = policy === 'int8' || provider === 'cpu';
  if (!wanted) return { weights: model, precision: 'float32', note: null };
  if (int8.variant) return { weights: int8.variant, precision: 'int8', note: null };
  const note = int8.problem ? `int8 variant not used: ${int8.problem}` : policy === 'int8' ? `no int8 variant of ${model.card.id} is installed` : null;
  return { weights: model, precision: 'float32', note };
}

/**
 * Before any load (`stratum info`, the status bar): the precision the engine will choose for model `id` on
 * `provider`, from the cards alone (no ONNX Runtime). Null when the model cannot be read.
 */
export function expectedPrecision(id: string, provider: string, registry = new ModelRegistry()): Precision | null {
  try {
    const model = registry.load(id);
    return chooseWeights(provider, model, variantBeside(model, 'int8'), precisionPolicy()).precision;
  } catch {
    return null;
  }
}
