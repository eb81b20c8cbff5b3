/**
 * The one boundary model the en-face maps are built from: nine surfaces per A-scan, each the upper edge
 * of one of the 8 layers of the layer table plus the choroid's lower edge, in pixel-centre row
 * coordinates (row 0's centre is 0, as vendors store their lines), NaN where unknown. Stratum's label
 * maps and the device's own lines are both turned into it, so one thickness rule serves both.
 */
import { LAYER_KEYS, RETINAL_LAYERS, type LayerKey } from '../../domain/layers';
import type { LayerBoundaries } from '../segmentation/boundaries';

/** Upper edge of each layer in table order (ILM = top of NFL, ..., BM = top of the choroid), then the choroid's lower edge. */
export const SURFACES = ['ILM', 'NFL_GCL', 'IPL_INL', 'INL_OPL', 'OPL_ONL', 'ONL_EZ', 'EZ_RPE', 'BM', 'CSI'] as const;
export type SurfaceName = (typeof SURFACES)[number];

/** One B-scan's surfaces: a row per A-scan, NaN where the surface is unknown. */
export type BscanSurfaces = Partial<Record<SurfaceName, Float32Array>>;

/** What a map shows: one layer of the layer table, or the total retina. */
export type MapKey = LayerKey | 'total';
export const MAP_KEYS: readonly MapKey[] = ['total', ...LAYER_KEYS];

export interface MapDefinition {
  key: MapKey;
  /** What people read (legend, report, CSV). */
  label: string;
  top: SurfaceName;
  bottom: SurfaceName;
}

/**
 * Each map is the distance between two surfaces. The layers are contiguous, so they add up to the
 * total. The RPE map is the RPE complex (RPE top to Bruch's membrane): its thickening over the normal
 * is what drusen measures use (drusen.ts). GCL+IPL is one layer in the layer table already.
 */
export const MAP_DEFINITIONS: Record<MapKey, MapDefinition> = {
  total: { key: 'total', label: 'Total retina (ILM to BM)', top: 'ILM', bottom: 'BM' },
  NFL: { key: 'NFL', label: 'NFL', top: 'ILM', bottom: 'NFL_GCL' },
  'GCL+IPL': { key: 'GCL+IPL', label: 'GCL+IPL', top: 'NFL_GCL', bottom: 'IPL_INL' },
  INL: { key: 'INL', label: 'INL', top: 'IPL_INL', bottom: 'INL_OPL' },
  OPL: { key: 'OPL', label: 'OPL', top: 'INL_OPL', bottom: 'OPL_ONL' },
  ONL: { key: 'ONL', label: 'ONL', top: 'OPL_ONL', bottom: 'ONL_EZ' },
  EZ: { key: 'EZ', label: 'EZ', top: 'ONL_EZ', bottom: 'EZ_RPE' },
  RPE: { key: 'RPE', label: 'RPE complex (RPE top to BM)', top: 'EZ_RPE', bottom: 'BM' },
  Choroid: { key: 'Choroid', label: 'Choroid (BM to CSI)', top: 'BM', bottom: 'CSI' },
};

const RETINAL_INDICES = RETINAL_LAYERS.map((l) => l.index);
const RPE_INDEX = 7;
const CHOROID_INDEX = 8;

/**
 * Surfaces from Stratum's label map boundaries (boundaries.ts: `top` the first row of a layer, `bottom`
 * one past its last). A layer absent in a column where the retina is present (NFL and GCL+IPL at the
 * foveal pit) has zero thickness: its upper edge is the lower edge of the layer above. Unlabelled rows
 * between two layers (fluid) count to the layer above, so the layers still add up to ILM to BM.
 * BM is the choroid's top, else the RPE's bottom; with neither, BM is unknown (never the bottom of
 * whatever layer happens to be lowest).
 */
export function surfacesFromLabels(b: LayerBoundaries, width: number): BscanSurfaces {
  const out = Object.fromEntries(SURFACES.map((s) => [s, new Float32Array(width).fill(NaN)])) as Record<SurfaceName, Float32Array>;
  // edge rows -> pixel-centre coordinates: the edge above row y lies at y - 0.5
  const edge = (row: number) => row - 0.5;
  for (let x = 0; x < width; x++) {
    let ilm = -1;
    for (const c of RETINAL_INDICES) {
      const t = b.top[c]![x]!;
      if (t >= 0 && (ilm < 0 || t < ilm)) ilm = t;
    }
    if (ilm < 0) continue;
    let cursor = ilm;
    for (let c = 1; c <= CHOROID_INDEX; c++) {
      const t = b.top[c]![x]!;
      const surface = SURFACES[c - 1]!;
      if (c === CHOROID_INDEX) {
        const rpeBottom = b.bottom[RPE_INDEX]![x]!;
        const bm = t >= 0 ? t : rpeBottom >= 0 ? rpeBottom : -1;
        if (bm >= 0) out.BM[x] = edge(bm);
        if (t >= 0) out.CSI[x] = edge(b.bottom[c]![x]!);
        break;
      }
      out[surface][x] = edge(c === 1 ? ilm : t >= 0 ? t : cursor);
      if (t >= 0) cursor = b.bottom[c]![x]!;
    }
  }
  return out;
}

/**
 * The device's line names for each surface: Heidelberg (VOL, E2E, XML SegLine: eyepy's names) and
 * Topcon (@CONTOUR_INFO, OCT-Converter's names). Heidelberg's GCL line (between GCL and IPL) has no
 * surface here, since the layer table keeps GCL+IPL as one layer. The ONL/EZ surface is the external
 * limiting membrane: the closest line the devices draw to where Stratum's EZ label begins.
 */
export const DEVICE_SURFACE_NAMES: Record<SurfaceName, readonly string[]> = {
  ILM: ['ILM'],
  NFL_GCL: ['RNFL', 'RNFL_GCL'],
  IPL_INL: ['IPL', 'IPL_INL'],
  INL_OPL: ['INL', 'INL_OPL'],
  OPL_ONL: ['OPL'],
  ONL_EZ: ['ELM'],
  EZ_RPE: ['RPE', 'IZ_RPE'],
  BM: ['BM'],
  CSI: ['CSI'],
};

/** The device's lines (name -> row per A-scan, NaN invalid) as surfaces; names it does not know are left out. */
export function surfacesFromDevice(lines: Readonly<Record<string, Float32Array>>): BscanSurfaces {
  const out: BscanSurfaces = {};
  for (const surface of SURFACES) {
    const name = DEVICE_SURFACE_NAMES[surface].find((n) => lines[n] !== undefined);
    if (name) out[surface] = lines[name]!;
  }
  return out;
}

/** The maps both surfaces hold: a map needs its top and bottom surface. */
export function mapsAvailable(surfaces: BscanSurfaces): MapKey[] {
  return MAP_KEYS.filter((k) => surfaces[MAP_DEFINITIONS[k].top] !== undefined && surfaces[MAP_DEFINITIONS[k].bottom] !== undefined);
}

/**
 * Per-A-scan thickness in µm of one map: bottom minus top surface times the axial spacing, NaN where
 * either is unknown. Lines that cross (bottom above top, seen in device exports) give 0, not a negative.
 */
export function ascanThicknessUm(surfaces: BscanSurfaces, key: MapKey, axialUmPerPx: number): Float32Array | null {
  const { top, bottom } = MAP_DEFINITIONS[key];
  const a = surfaces[top];
  const b = surfaces[bottom];
  if (!a || !b) return null;
  const out = new Float32Array(a.length);
  for (let x = 0; x < a.length; x++) {
    const d = b[x]! - a[x]!;
    out[x] = Number.isFinite(d) ? Math.max(0, d) * axialUmPerPx : NaN;
  }
  return out;
}
