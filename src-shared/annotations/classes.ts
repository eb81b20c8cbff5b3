import { AppError } from '../contract/errors';
import { LABEL_ALIASES, LAYERS, normaliseClassLabel } from '../domain/layers';
import { parseJsonFile, quoted } from './json';

/**
 * The class dictionary: annotation label strings -> canonical class index (1-8, see domain/layers.ts).
 * Matching ignores case, spaces, '_' and '-' ("Ellipsoid Zone", "EllipsoidZone", "ellipsoid_zone").
 */
export interface ClassDictionary {
  /** Normalised label -> class index. */
  readonly map: ReadonlyMap<string, number>;
  /** Where it came from, for error messages ("built-in" or a file path). */
  readonly source: string;
}

/**
 * The layer table's aliases (domain/layers.ts), layers only: an annotated region always names a
 * layer, so "background" is no annotation label.
 */
export function builtInClassDictionary(): ClassDictionary {
  const map = new Map<string, number>();
  for (const [alias, index] of LABEL_ALIASES) if (index >= 1) map.set(alias, index);
  return { map, source: 'built-in' };
}

/**
 * Parses a class file (see docs/ANNOTATIONS.md): `{"replace"?: boolean, "classes": {"<layer key or index>": ["alias", ...]}}`.
 * Without `replace: true` the aliases are added to the built-in dictionary.
 */
export function parseClassDictionary(text: string, source: string): ClassDictionary {
  const raw = parseJsonFile(text, source);
  const obj = raw as { replace?: unknown; classes?: unknown };
  if (typeof raw !== 'object' || raw === null || typeof obj.classes !== 'object' || obj.classes === null || Array.isArray(obj.classes)) {
    throw new AppError('BAD_INPUT', `${source}: expected {"classes": {"<layer>": ["alias", ...]}}`, { file: source });
  }
  const map = obj.replace === true ? new Map<string, number>() : new Map(builtInClassDictionary().map);
  for (const [key, aliases] of Object.entries(obj.classes as Record<string, unknown>)) {
    const layer = LAYERS.find((l) => l.key.toLowerCase() === key.toLowerCase() || String(l.index) === key);
    if (!layer) {
      throw new AppError('BAD_INPUT', `${source}: unknown layer ${quoted(key, 40)} (use one of ${LAYERS.map((l) => l.key).join(', ')} or 1-8)`, { file: source, entry: key });
    }
    const list = typeof aliases === 'string' ? [aliases] : aliases;
    if (!Array.isArray(list) || list.some((a) => typeof a !== 'string')) {
      throw new AppError('BAD_INPUT', `${source}: classes[${quoted(key, 40)}] must be a list of label strings`, { file: source, entry: key });
    }
    map.set(normaliseClassLabel(layer.key), layer.index);
    for (const alias of list as string[]) map.set(normaliseClassLabel(alias), layer.index);
  }
  return { map, source };
}

export function lookupClass(dict: ClassDictionary, label: string): number | undefined {
  return dict.map.get(normaliseClassLabel(label));
}

/** A short description of the dictionary for error messages: "NFL=1, ... ". */
export function describeDictionary(dict: ClassDictionary): string {
  const byIndex = new Map<number, string[]>();
  for (const [alias, index] of dict.map) byIndex.set(index, [...(byIndex.get(index) ?? []), alias]);
  return [...byIndex.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([index, aliases]) => `${index}: ${aliases.join('|')}`)
    .join('; ');
}
