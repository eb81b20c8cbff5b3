import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../src-shared/contract/errors';
import { CANONICAL_CLASS_ORDER, classIndexForLabel } from '../../../src-shared/domain/layers';
import { MODEL_ID } from '../../../src-shared/domain/installed-models';
import { bundledModelsDir, configuredDefaultModel, modelRoots } from './model-folders';

/**
 * The default model: the one chosen in the settings (`stratum models default ID`), else the first of these
 * that is installed; it must then load intact (a corrupt one is an error, never a reason to use another).
 * Without one: the only trained model installed. The untrained placeholder is never a default; it runs only
 * when asked for by id (or chosen as the default by name).
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
  /** The models folder it was found in: the user's (data folder) or the bundled one (resources/models). */
  source: 'user' | 'bundled';
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

/** What a model id may be (one rule, shared with the contract's request schemas). */
export { MODEL_ID } from '../../../src-shared/domain/installed-models';

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

/**
 * Reads and verifies the model in `dir` (wherever it is): the card against the schema, the weights file
 * inside the folder, its sha256 against the card, the class order against the layer table. Throws
 * MODEL_UNAVAILABLE naming `label` (the id, or the folder for a model not yet added) and the problem.
 */
export function readModelDir(dir: string, label: string): Omit<ModelEntry, 'dir' | 'source'> {
  const cardPath = join(dir, 'model.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(cardPath, 'utf8'));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? `no card (${cardPath})` : `card is not valid JSON (${(error as Error).message})`;
    throw new AppError('MODEL_UNAVAILABLE', `Model "${label}": ${why}`, { id: label });
  }
  const parsed = modelCardSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('MODEL_UNAVAILABLE', `Model "${label}": card is invalid (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`, { id: label });
  }
  const card = parsed.data;
  const weightsPath = resolve(dir, card.file);
  if (isAbsolute(card.file) || !weightsPath.startsWith(resolve(dir) + sep)) {
    throw new AppError('MODEL_UNAVAILABLE', `Model "${label}": the card's weights file "${card.file}" is outside the model's folder`, { id: label });
  }
  if (!existsSync(weightsPath)) throw new AppError('MODEL_UNAVAILABLE', `Model "${label}": weights file ${card.file} is missing`, { id: label });
  const size = statSync(weightsPath).size;
  const actual = sha256File(weightsPath);
  if (actual !== card.sha256) {
    const sizeNote = card.sizeBytes !== undefined && card.sizeBytes !== size ? `; ${size} bytes where the card says ${card.sizeBytes} (truncated or extended)` : '';
    throw new AppError(
      'MODEL_UNAVAILABLE',
      `Model "${label}": checksum mismatch for ${weightsPath} (corrupt or modified): expected sha256 ${card.sha256}, actual ${actual}${sizeNote}`,
      { id: label, file: weightsPath, expected: card.sha256, actual, bytes: size, expectedBytes: card.sizeBytes ?? null },
    );
  }
  return { card, weightsPath, classMap: classMapFor(card.output.classOrder) };
}

/**
 * Reads model cards from `<root>/<id>/model.json`. The roots, by default: the user's models folder in the
 * data folder (models added with `stratum models add`), then the bundled resources/models. An id lives in
 * one root only (add refuses a clash), so the order decides nothing but where to look first.
 */
export class ModelRegistry {
  private readonly roots: readonly string[];
  /** The chosen default, read when needed (a broken settings file then fails segmentation, not start-up). */
  private readonly defaultId: () => string | null;

  /** Given roots: those only, and no default from the settings (tests, benches); none: the data folder's. */
  constructor(roots?: string | readonly string[], defaultId?: string | null) {
    this.roots = roots === undefined ? modelRoots() : typeof roots === 'string' ? [roots] : roots;
    this.defaultId = defaultId !== undefined ? () => defaultId : roots === undefined ? () => configuredDefaultModel() : () => null;
  }

  /** Every folder with a card, in every root; `problem` set where the card or weights are missing or corrupt. */
  scan(): { models: ModelEntry[]; problems: ModelProblem[] } {
    const models: ModelEntry[] = [];
    const problems: ModelProblem[] = [];
    const present = this.roots.filter((r) => existsSync(r));
    if (present.length === 0) return { models, problems: [{ id: '*', problem: `No model folder at ${this.roots.join(' or ')}` }] };
    for (const root of present) {
      for (const id of readdirSync(root).sort()) {
        if (!existsSync(join(root, id, 'model.json'))) continue;
        try {
          models.push(this.loadFrom(root, id));
        } catch (error) {
          problems.push({ id, problem: (error as Error).message });
        }
      }
    }
    return { models, problems };
  }

  /** The root holding model `id`, or null. */
  rootOf(id: string): string | null {
    return this.roots.find((r) => existsSync(join(r, id, 'model.json'))) ?? null;
  }

  /** Loads and verifies one model (card schema, weights present, sha256); throws MODEL_UNAVAILABLE. */
  load(id: string): ModelEntry {
    if (!MODEL_ID.test(id)) throw new AppError('MODEL_UNAVAILABLE', `Invalid model id "${id}"`);
    const root = this.rootOf(id);
    if (root === null) {
      throw new AppError('MODEL_UNAVAILABLE', `Model "${id}" is not installed (no ${this.roots.map((r) => join(r, id, 'model.json')).join(', nor ')})`, { id });
    }
    return this.loadFrom(root, id);
  }

  private loadFrom(root: string, id: string): ModelEntry {
    const { card, weightsPath, classMap } = readModelDir(join(root, id), id);
    if (card.id !== id) throw new AppError('MODEL_UNAVAILABLE', `Model folder "${id}" holds a card for "${card.id}" (the folder must be named by the card's id)`, { id, cardId: card.id });
    return { card, dir: join(root, id), source: root === bundledModelsDir() ? 'bundled' : 'user', weightsPath, classMap };
  }

  /**
   * The model to use: `id` when given (the only way to get the untrained placeholder), else the default
   * (see PREFERRED_MODEL_IDS). MODEL_UNAVAILABLE, naming the problem, rather than any silent fallback:
   * a clinician must never get an untrained or unintended model's output without asking for it.
   */
  resolve(id?: string): ModelEntry {
    if (id) return this.load(id);
    const chosen = this.defaultId();
    if (chosen) {
      try {
        return this.load(chosen);
      } catch (error) {
        // the chosen default is broken or gone: say so, never run another model in its place
        throw new AppError('MODEL_UNAVAILABLE', `The default model chosen in the settings cannot be used: ${(error as Error).message}. Choose another with \`stratum models default ID\`.`, {
          ...((error as AppError).details ?? {}),
          defaultModel: chosen,
        });
      }
    }
    const preferred = PREFERRED_MODEL_IDS.find((p) => this.rootOf(p) !== null);
    if (preferred) return this.load(preferred);
    const { models, problems } = this.scan();
    if (problems.length) {
      throw new AppError('MODEL_UNAVAILABLE', `No default segmentation model: ${problems.map((p) => `${p.id}: ${p.problem}`).join('; ')}`, { problems });
    }
    // a variant (the int8 file of a float model: training/quantize) runs in its float model's place, never as a default
    const trained = models.filter((m) => m.card.trained && !('variantOf' in m.card));
    if (trained.length !== 1) {
      const why = trained.length === 0 ? `no trained segmentation model is installed in ${this.roots.join(' or ')}` : `${trained.length} trained models are installed (${trained.map((m) => m.card.id).join(', ')})`;
      const placeholder = models.some((m) => m.card.id === PLACEHOLDER_MODEL_ID) ? `; the untrained placeholder runs only when asked for by id ("${PLACEHOLDER_MODEL_ID}")` : '';
      throw new AppError('MODEL_UNAVAILABLE', `No default segmentation model: ${why}; choose one by id${placeholder}`, { installed: models.map((m) => m.card.id) });
    }
    return trained[0]!;
  }
}
