/**
 * The layer table as JSON for the Python training (training/stratum_train/labels.py reads it), so
 * class indices, names and label aliases have one source: src-shared/domain/layers.ts.
 * Written by `npm run generate:layers` (scripts/generate-layers-json.mjs); layers-json.test.ts fails
 * when the committed file is stale.
 */
import { CANONICAL_CLASS_ORDER, classSpellings, normaliseClassLabel } from '../src-shared/domain/layers';

export const LAYERS_JSON_PATH = 'training/stratum_train/layers.generated.json';

export interface LayersJson {
  classes: { index: number; name: string }[];
  /** Lower-case alias -> canonical class index. */
  aliases: Record<string, number>;
  generatedFrom: 'src-shared/domain/layers.ts';
}

/**
 * Each spelling appears twice where the two differ: lower-cased as written ("ellipsoid zone", what a
 * plain `label.strip().lower()` lookup finds) and normalised as the app compares labels
 * ("ellipsoidzone": case, whitespace, '_' and '-' dropped).
 */
export function layersJson(): LayersJson {
  const aliases: Record<string, number> = {};
  for (const { index, spellings } of classSpellings()) {
    for (const spelling of spellings) {
      aliases[spelling.trim().toLowerCase()] = index;
      aliases[normaliseClassLabel(spelling)] = index;
    }
  }
  const sorted = Object.fromEntries(Object.entries(aliases).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    classes: CANONICAL_CLASS_ORDER.map((name, index) => ({ index, name })),
    aliases: sorted,
    generatedFrom: 'src-shared/domain/layers.ts',
  };
}

/** The file's exact text: two-space JSON and a final newline. */
export function layersJsonText(): string {
  return `${JSON.stringify(layersJson(), null, 2)}\n`;
}
