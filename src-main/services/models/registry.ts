import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../src-shared/contract';
import { CANONICAL_CLASS_ORDER, classIndexForLabel } from '../../../src-shared/domain/layers';
import { resourcesDir } from '../../resources';

/**
 * The default model: the first of these that is installed; it must then load intact (a corrupt one is an
 * error, never a reason to use another). Without one: the only trained model installed. The untrained
 * placeholder is never a default; it runs only when asked for by id.
 */
export const PREFERRED_MODEL_IDS = ['stratum-unet-light'] as const;
export const PLACEHOLDER_MODEL_ID = 'stratum-placeholder';

const sizePolicy = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pad'), multiple: z.number().int().positive() }),
  z.object({ kind: z.literal('resize'), width: z.number().int().positive(), height: z.number().int().positive() }),
]);

const normalisation = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('scale'), scale: z.number(), offset: z.number().default(0) }),
  /** The original Keras pipeline: each column divided by its L2 norm (optionally times `scale`). */
  z.object({ kind: z.literal('column-l2'), scale: z.number().default(1), epsilon: z.number().default(1e-6) }),
]);

/** The model card (`resources/models/<id>/model.json`). Unknown keys are kept (training, metrics, parity...). */
export const modelCardSchema = z
  .object({
    schema: z.literal(1),
    id: z.string().min(1),
    name: z.string(),
    version: z.string(),
    trained: z.boolean(),
    format: z.enum(['onnx', 'tfjs-layers']),
    file: z.string().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    sizeBytes: z.number().int().nonnegative().optional(),
    input: z.object({
      name: z.string().default('image'),
      layout: z.enum(['NCHW', 'NHWC']).default('NCHW'),
      channels: z.literal(1).default(1),
      sizePolicy,
    }),
    normalisation,
    output: z.object({
      name: z.string().default('logits'),
      kind: z.enum(['logits', 'probabilities']).default('logits'),
      classOrder: z.array(z.string()).length(CANONICAL_CLASS_ORDER.length),
    }),
  })
  .loose();

export type ModelCard = z.infer<typeof modelCardSchema>;

export interface ModelEntry {
  card: ModelCard;
  dir: string;
  /** Absolute path of the weights file (for TF.js: the topology JSON). */
  weightsPath: string;
  /** model class index -> canonical class index. */
  classMap: number[];
}

export interface ModelProblem {
  id: string;
  problem: string;
}

/**
 * Maps a card's class order onto the canonical order (`classMap[modelIndex] = canonicalIndex`); class
 * names are read with the layer table's aliases (domain/layers.ts), as annotation labels are.
 */
export function classMapFor(classOrder: readonly string[]): number[] {
  const map = classOrder.map((name) => {
    const i = classIndexForLabel(name);
    if (i === undefined) throw new AppError('MODEL_UNAVAILABLE', `Model card names an unknown class "${name}"`, { classOrder });
    return i;
  });
  if (new Set(map).size !== CANONICAL_CLASS_ORDER.length) {
    throw new AppError('MODEL_UNAVAILABLE', 'Model card class order does not cover every canonical class exactly once', { classOrder });
  }
  return map;
}

const hashCache = new Map<string, string>();

function sha256File(path: string): string {
  const st = statSync(path);
  // ctime and inode too: an in-place edit within one mtime tick, or a file swapped in, is hashed afresh
  const key = `${path}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  let h = hashCache.get(key);
  if (!h) {
    h = createHash('sha256').update(readFileSync(path)).digest('hex');
    hashCache.set(key, h);
  }
  return h;
}

/** Reads model cards from `<root>/<id>/model.json` (root: resources/models by default). */
export class ModelRegistry {
  constructor(private readonly root = join(resourcesDir(), 'models')) {}

  /** Every folder with a card; `problem` set where the card or weights are missing or corrupt. */
  scan(): { models: ModelEntry[]; problems: ModelProblem[] } {
    const models: ModelEntry[] = [];
    const problems: ModelProblem[] = [];
    if (!existsSync(this.root)) return { models, problems: [{ id: '*', problem: `No model folder at ${this.root}` }] };
    for (const id of readdirSync(this.root).sort()) {
      if (!existsSync(join(this.root, id, 'model.json'))) continue;
      try {
        models.push(this.load(id));
      } catch (error) {
        problems.push({ id, problem: (error as Error).message });
      }
    }
    return { models, problems };
  }

  /** Loads and verifies one model (card schema, weights present, sha256); throws MODEL_UNAVAILABLE. */
  load(id: string): ModelEntry {
    if (!/^[\w.-]+$/.test(id)) throw new AppError('MODEL_UNAVAILABLE', `Invalid model id "${id}"`);
    const dir = join(this.root, id);
    const cardPath = join(dir, 'model.json');
    if (!existsSync(cardPath)) throw new AppError('MODEL_UNAVAILABLE', `Model "${id}" is not installed (no ${cardPath})`, { id });
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(cardPath, 'utf8'));
    } catch (error) {
      throw new AppError('MODEL_UNAVAILABLE', `Model "${id}": card is not valid JSON (${(error as Error).message})`, { id });
    }
    const parsed = modelCardSchema.safeParse(raw);
    if (!parsed.success) {
      throw new AppError('MODEL_UNAVAILABLE', `Model "${id}": card is invalid (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`, { id });
    }
    const card = parsed.data;
    const weightsPath = join(dir, card.file);
    if (!existsSync(weightsPath)) throw new AppError('MODEL_UNAVAILABLE', `Model "${id}": weights file ${card.file} is missing`, { id });
    const size = statSync(weightsPath).size;
    const actual = sha256File(weightsPath);
    if (actual !== card.sha256) {
      const sizeNote = card.sizeBytes !== undefined && card.sizeBytes !== size ? `; ${size} bytes where the card says ${card.sizeBytes} (truncated or extended)` : '';
      throw new AppError(
        'MODEL_UNAVAILABLE',
        `Model "${id}": checksum mismatch for ${weightsPath} (corrupt or modified): expected sha256 ${card.sha256}, actual ${actual}${sizeNote}`,
        { id, file: weightsPath, expected: card.sha256, actual, bytes: size, expectedBytes: card.sizeBytes ?? null },
      );
    }
    return { card, dir, weightsPath, classMap: classMapFor(card.output.classOrder) };
  }

  /**
   * The model to use: `id` when given (the only way to get the untrained placeholder), else the default
   * (see PREFERRED_MODEL_IDS). MODEL_UNAVAILABLE, naming the problem, rather than any silent fallback:
   * a clinician must never get an untrained or unintended model's output without asking for it.
   */
  resolve(id?: string): ModelEntry {
    if (id) return this.load(id);
    const preferred = PREFERRED_MODEL_IDS.find((p) => existsSync(join(this.root, p, 'model.json')));
    if (preferred) return this.load(preferred);
    const { models, problems } = this.scan();
    if (problems.length) {
      throw new AppError('MODEL_UNAVAILABLE', `No default segmentation model: ${problems.map((p) => `${p.id}: ${p.problem}`).join('; ')}`, { problems });
    }
    const trained = models.filter((m) => m.card.trained);
    if (trained.length !== 1) {
      const why = trained.length === 0 ? `no trained segmentation model is installed in ${this.root}` : `${trained.length} trained models are installed (${trained.map((m) => m.card.id).join(', ')})`;
      const placeholder = models.some((m) => m.card.id === PLACEHOLDER_MODEL_ID) ? `; the untrained placeholder runs only when asked for by id ("${PLACEHOLDER_MODEL_ID}")` : '';
      throw new AppError('MODEL_UNAVAILABLE', `No default segmentation model: ${why}; choose one by id${placeholder}`, { installed: models.map((m) => m.card.id) });
    }
    return trained[0]!;
  }
}
