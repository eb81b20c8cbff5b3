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
  /** Part of the retina (NFL..RPE): what total retinal thickness spans. The choroid is not. */
  readonly retinal: boolean;
  /** Thins to nothing at a healthy foveal pit, so a column without it is no sign of a failed segmentation. */
  readonly absentAtFovea: boolean;
  /** Other spellings seen in annotation exports and model cards (the key and name always match). */
  readonly aliases: readonly string[];
}

export const LAYER_KEYS = ['NFL', 'GCL+IPL', 'INL', 'OPL', 'ONL', 'EZ', 'RPE', 'Choroid'] as const;
export type LayerKey = (typeof LAYER_KEYS)[number];

export const CLASS_COUNT = 9;

export const LAYERS: readonly LayerInfo[] = [
  {
    index: 1, key: 'NFL', name: 'NFL', longName: 'Nerve fibre layer', color: '#e6194b', retinal: true, absentAtFovea: true,
    aliases: ['RNFL', 'Nerve fibre layer', 'Nerve fiber layer'],
  },
  {
    index: 2, key: 'GCL+IPL', name: 'GCL+IPL', longName: 'Ganglion cell + inner plexiform layers', color: '#f58231', retinal: true, absentAtFovea: true,
    aliases: ['GCL IPL', 'GCL/IPL', 'GCIPL', 'GCL-IPL', 'GCL_IPL', 'GCLIPL'],
  },
  { index: 3, key: 'INL', name: 'INL', longName: 'Inner nuclear layer', color: '#ffe119', retinal: true, absentAtFovea: false, aliases: ['Inner nuclear layer'] },
  { index: 4, key: 'OPL', name: 'OPL', longName: 'Outer plexiform layer', color: '#3cb44b', retinal: true, absentAtFovea: false, aliases: ['Outer plexiform layer'] },
  {
    index: 5, key: 'ONL', name: 'ONL', longName: 'Outer nuclear layer (incl. Henle fibres)', color: '#42d4f4', retinal: true, absentAtFovea: false,
    aliases: ['Outer nuclear layer'],
  },
  {
    index: 6, key: 'EZ', name: 'EZ', longName: 'Ellipsoid zone', color: '#4363d8', retinal: true, absentAtFovea: false,
    aliases: ['Elipsoid Zone', 'EllipsoidZone', 'Ellipsoid Zone', 'ellipsoid_zone', 'IS/OS', 'ISOS'],
  },
  { index: 7, key: 'RPE', name: 'RPE', longName: 'Retinal pigment epithelium', color: '#f032e6', retinal: true, absentAtFovea: false, aliases: ['Retinal pigment epithelium'] },
  { index: 8, key: 'Choroid', name: 'Choroid', longName: 'Choroid', color: '#bfef45', retinal: false, absentAtFovea: false, aliases: ['CHR', 'CH'] },
];

/** Class 0: what is neither retina nor choroid (vitreous above, sclera below). */
export const BACKGROUND = { index: 0, key: 'background', aliases: ['bg'] } as const;

/** Retinal layers (NFL..RPE) in index order, and the first and last of them: what total retinal thickness spans. */
export const RETINAL_LAYERS: readonly LayerInfo[] = LAYERS.filter((l) => l.retinal);
export const RETINA_FIRST = RETINAL_LAYERS[0]!.index;
export const RETINA_LAST = RETINAL_LAYERS[RETINAL_LAYERS.length - 1]!.index;

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

/**
 * How labels are compared: case, whitespace, '_' and '-' are ignored, so "Ellipsoid Zone",
 * "EllipsoidZone" and "ellipsoid_zone" are one label.
 */
export function normaliseClassLabel(label: string): string {
  return label.trim().toLowerCase().replace(/[\s_-]+/g, '');
}

/** Every spelling of one class (0 background, 1..8 the layers): its key, its name and its aliases. */
export function classSpellings(): { index: number; spellings: string[] }[] {
  return [
    { index: BACKGROUND.index, spellings: [BACKGROUND.key, ...BACKGROUND.aliases] },
    ...LAYERS.map((l) => ({ index: l.index, spellings: [l.key, l.name, ...l.aliases] })),
  ];
}

/**
 * The one label-alias table: normalised label -> class index, for annotation files, model cards and
 * (through training/stratum_train/layers.generated.json) the Python training.
 */
export const LABEL_ALIASES: ReadonlyMap<string, number> = (() => {
  const map = new Map<string, number>();
  for (const { index, spellings } of classSpellings()) {
    // layers.test.ts checks that no spelling names two classes
    for (const spelling of spellings) map.set(normaliseClassLabel(spelling), index);
  }
  return map;
})();

/** The class index a label names (0..8), or undefined. */
export function classIndexForLabel(label: string): number | undefined {
  return LABEL_ALIASES.get(normaliseClassLabel(label));
}
