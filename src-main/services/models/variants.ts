import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { ModelRegistry, type ModelCard, type ModelEntry } from './registry';

/** The arithmetic a model file runs in. */
export type Precision = 'float32' | 'int8';

/**
 * A variant's card names the float model it was made from (training/quantize writes it): the same network,
 * another file. Id, version and the float weights' checksum must all match, so an int8 file quantised from
 * an older float model is never run in place of a newer one.
 */
const variantFields = z.object({
  precision: z.enum(['float32', 'int8']),
  variantOf: z.object({ id: z.string(), version: z.string(), sha256: z.string() }),
});

/** What a card says it runs in: its `precision`, float32 when it says nothing (every float export). */
export function precisionOf(card: ModelCard): Precision {
  return (card as { precision?: unknown }).precision === 'int8' ? 'int8' : 'float32';
}

/** True for a card that is a variant of another model (it is never a default by itself). */
export function isVariant(card: ModelCard): boolean {
  return variantFields.safeParse(card).success;
}

export interface VariantLookup {
  variant: ModelEntry | null;
  /** Why a variant that is there cannot be used (stale, corrupt); null when there is none or it is fine. */
  problem: string | null;
}

/**
 * The `precision` variant of `model` in the same models folder (a variant lives beside its float model),
 * loaded and checksum-verified like any model. Reads only the sibling cards; never throws.
 */
export function variantBeside(model: ModelEntry, precision: Precision): VariantLookup {
  const root = dirname(model.dir);
  const problems: string[] = [];
  let ids: string[];
  try {
    ids = readdirSync(root).sort();
  } catch {
    return { variant: null, problem: null };
  }
  for (const id of ids) {
    const cardPath = join(root, id, 'model.json');
    if (id === model.card.id || !existsSync(cardPath)) continue;
    let fields: z.infer<typeof variantFields>;
    try {
      const parsed = variantFields.safeParse(JSON.parse(readFileSync(cardPath, 'utf8')));
      if (!parsed.success) continue;
      fields = parsed.data;
    } catch {
      continue;
    }
    if (fields.variantOf.id !== model.card.id || fields.precision !== precision) continue;
    if (fields.variantOf.version !== model.card.version || fields.variantOf.sha256 !== model.card.sha256) {
      problems.push(`${id} was made from ${fields.variantOf.id} ${fields.variantOf.version} (weights ${fields.variantOf.sha256.slice(0, 12)}), not from the installed ${model.card.version} (weights ${model.card.sha256.slice(0, 12)})`);
      continue;
    }
    try {
      return { variant: new ModelRegistry(root).load(id), problem: null };
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return { variant: null, problem: problems.length ? problems.join('; ') : null };
}
