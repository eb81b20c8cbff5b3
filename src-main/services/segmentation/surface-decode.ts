/**
 * Decode of a surface model's second output (Model 2, `training/stratum_train/model.py` SurfaceHead):
 * per column, the sub-pixel rows of the 9 boundaries (top of NFL .. top of Choroid, bottom of Choroid),
 * ordered by construction. Layers come from the surfaces; the pixel head only decides where there is
 * tissue: where its argmax is background inside the band (a hole, fluid, a detachment) the pixel stays
 * unlabelled. The card's `surfaces` entry says which output holds the rows and how to read it.
 */
import { z } from 'zod';
import { AppError } from '../../../src-shared/contract/errors';
import { CLASS_COUNT } from '../../../src-shared/domain/layers';
import type { ModelCard } from '../models/registry';
import type { Prepared } from './preprocess';

/** One boundary per layer edge: the top of each of the 8 layers, then the bottom of the last. */
export const BOUNDARY_COUNT = CLASS_COUNT;

const surfacesSpecSchema = z.object({
  name: z.string().min(1).default('surfaces'),
  kind: z.literal('boundaryRows'),
  layout: z.literal('NKW').default('NKW'),
  boundaries: z.array(z.string()).length(BOUNDARY_COUNT),
  ordered: z.boolean().default(true),
});

export type SurfacesSpec = z.infer<typeof surfacesSpecSchema>;

/** The card's surface output, or null for a single-output (pixel-only) model. */
export function surfacesSpec(card: ModelCard): SurfacesSpec | null {
  const raw = (card as { surfaces?: unknown }).surfaces;
  if (raw === undefined || raw === null) return null;
  const parsed = surfacesSpecSchema.safeParse(raw);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || 'surfaces'}: ${i.message}`).join('; ');
    throw new AppError('MODEL_UNAVAILABLE', `Model "${card.id}": card entry "surfaces" is invalid (${why})`, { id: card.id });
  }
  return parsed.data;
}

/**
 * Layers from the boundary rows of one image, where the pixel head sees tissue.
 *
 * `pixelLabels`: the pixel head's canonical labels at image size (outWidth x outHeight).
 * `rows`: this image's [K, tensorWidth] boundary rows in tensor coordinates (pixel centres).
 * `classMap`: model class index -> canonical index; a pixel at row r gets model class
 * #{k : rows[k] < r} when that count is 1..8, else background.
 * Returns a new label map; `pixelLabels` is not changed.
 */
export function decodeSurfaceLabels(
  pixelLabels: Uint8Array,
  rows: Float32Array,
  classMap: readonly number[],
  prepared: Pick<Prepared, 'width' | 'height' | 'mapBack'>,
  outWidth: number,
  outHeight: number,
): Uint8Array {
  const tw = prepared.width;
  if (rows.length !== BOUNDARY_COUNT * tw) {
    throw new AppError('MODEL_UNAVAILABLE', `Surface output has ${rows.length} values, expected ${BOUNDARY_COUNT} x ${tw}`);
  }
  const resized = prepared.mapBack === 'resize';
  const sy = resized ? outHeight / prepared.height : 1;
  const out = new Uint8Array(outWidth * outHeight);
  const column = new Float64Array(BOUNDARY_COUNT);
  const lastClass = BOUNDARY_COUNT - 1;
  for (let x = 0; x < outWidth; x++) {
    const tx = resized ? Math.min(tw - 1, Math.floor(((x + 0.5) * tw) / outWidth)) : x;
    // image-space rows; a running maximum keeps them ordered even if a card's model is not
    let prev = -Infinity;
    for (let k = 0; k < BOUNDARY_COUNT; k++) {
      const r = rows[k * tw + tx]!;
      const v = resized ? (r + 0.5) * sy - 0.5 : r;
      prev = Number.isNaN(v) ? prev : Math.max(prev, v);
      column[k] = prev;
    }
    let count = 0;
    for (let y = 0; y < outHeight; y++) {
      while (count < BOUNDARY_COUNT && column[count]! < y) count++;
      const o = y * outWidth + x;
      if (pixelLabels[o] === 0) continue; // no tissue by the pixel head: stays unlabelled
      out[o] = count >= 1 && count <= lastClass ? classMap[count]! : 0;
    }
  }
  return out;
}
