/**
 * The layer table: the single source of truth for class indices, names and colours. Masks on disk,
 * model outputs (after mapping), the database, the legend and the reports all use this order
 * (see ../shared/data/README.md, "Canonical class order").
 */
export interface LayerInfo {
  /** Class index in label maps (1-8; 0 is background). */
  readonly index: number;
  /** Short key used in JSON, CSV and the database. */
  readonly key: LayerKey;
  /** Name shown to clinicians (IN-OCT consensus naming). */
  readonly name: string;
  readonly longName: string;
  /** Overlay colour, chosen to stay distinguishable on a dark grey B-scan and for common colour-vision deficiencies. */
  readonly color: string;
}

export const LAYER_KEYS = ['NFL', 'GCL+IPL', 'INL', 'OPL', 'ONL', 'EZ', 'RPE', 'Choroid'] as const;
export type LayerKey = (typeof LAYER_KEYS)[number];

export const CLASS_COUNT = 9;

export const LAYERS: readonly LayerInfo[] = [
  { index: 1, key: 'NFL', name: 'NFL', longName: 'Nerve fibre layer', color: '#e6194b' },
  { index: 2, key: 'GCL+IPL', name: 'GCL+IPL', longName: 'Ganglion cell + inner plexiform layers', color: '#f58231' },
  { index: 3, key: 'INL', name: 'INL', longName: 'Inner nuclear layer', color: '#ffe119' },
  { index: 4, key: 'OPL', name: 'OPL', longName: 'Outer plexiform layer', color: '#3cb44b' },
  { index: 5, key: 'ONL', name: 'ONL', longName: 'Outer nuclear layer (incl. Henle fibres)', color: '#42d4f4' },
  { index: 6, key: 'EZ', name: 'EZ', longName: 'Ellipsoid zone', color: '#4363d8' },
  { index: 7, key: 'RPE', name: 'RPE', longName: 'Retinal pigment epithelium', color: '#f032e6' },
  { index: 8, key: 'Choroid', name: 'Choroid', longName: 'Choroid', color: '#bfef45' },
];

/** Class names in canonical order including background; what model cards are mapped onto. */
export const CANONICAL_CLASS_ORDER = ['background', ...LAYER_KEYS] as const;

export function layerByIndex(index: number): LayerInfo | undefined {
  return LAYERS[index - 1];
}

export function layerByKey(key: string): LayerInfo | undefined {
  return LAYERS.find((l) => l.key === key);
}

/** Parses '#rrggbb' into [r, g, b]. */
export function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
