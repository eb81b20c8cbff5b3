/**
 * A volume's map set: one en-face thickness map per layer of the layer table and the total retina,
 * from per-B-scan surfaces (surfaces.ts) placed by each B-scan's own start and end.
 */
import { defaultGrid, gridSampler, sampleMap, type EnfaceGrid, type EnfaceValues, type GridSampler } from './enface-map';
import { rasterGeometry, type BscanLine, type RasterGeometry } from './raster-geometry';
import { ascanThicknessUm, MAP_DEFINITIONS, MAP_KEYS, type BscanSurfaces, type MapKey } from './surfaces';

/** One volume's boundaries as the maps need them. */
export interface VolumeSurfaces {
  /** Per B-scan, in series order. */
  lines: readonly BscanLine[];
  /** Per B-scan (same order); undefined for a B-scan without boundaries (not segmented, unreadable). */
  surfaces: readonly (BscanSurfaces | undefined)[];
  axialUmPerPx: number;
  /** Whose boundaries: 'stratum' (its own segmentation) or 'device' (the file's lines). */
  source: 'stratum' | 'device';
}

export interface EnfaceMap extends EnfaceValues {
  key: MapKey;
  label: string;
  unit: 'um';
}

export interface MapSet {
  source: VolumeSurfaces['source'];
  geometry: RasterGeometry;
  grid: EnfaceGrid;
  /** The maps the boundaries allow (the device may lack a choroid line, say), in MAP_KEYS order. */
  maps: Partial<Record<MapKey, EnfaceMap>>;
  /** Per-A-scan thickness (µm) per map and B-scan: what the maps were sampled from (the fovea B-scan plot, comparisons). */
  ascans: Partial<Record<MapKey, (Float32Array | undefined)[]>>;
}

/** The sampler for a volume's B-scan lines: share it between Stratum's and the device's map sets so both use one grid. */
export function volumeSampler(lines: readonly BscanLine[], spacingMm?: number): GridSampler {
  const geometry = rasterGeometry(lines);
  return gridSampler(geometry, defaultGrid(geometry, spacingMm));
}

export function buildMapSet(volume: VolumeSurfaces, sampler?: GridSampler, geometry?: RasterGeometry): MapSet {
  if (volume.lines.length !== volume.surfaces.length) throw new Error(`${volume.lines.length} B-scan lines but ${volume.surfaces.length} boundary sets`);
  if (!(volume.axialUmPerPx > 0)) throw new Error('the axial scale (µm per pixel) is needed for thickness in µm');
  const g = geometry ?? rasterGeometry(volume.lines);
  const s = sampler ?? gridSampler(g, defaultGrid(g));
  const maps: MapSet['maps'] = {};
  const ascans: MapSet['ascans'] = {};
  for (const key of MAP_KEYS) {
    const perBscan = volume.surfaces.map((surf) => (surf ? (ascanThicknessUm(surf, key, volume.axialUmPerPx) ?? undefined) : undefined));
    if (perBscan.every((v) => v === undefined)) continue;
    ascans[key] = perBscan;
    const sampled = sampleMap(s, perBscan);
    maps[key] = { ...sampled, key, label: MAP_DEFINITIONS[key].label, unit: 'um' };
  }
  return { source: volume.source, geometry: g, grid: s.grid, maps, ascans };
}

/** How many cells of a map hold data, and its range: for legends and sanity checks. */
export function mapStats(map: EnfaceValues): { cells: number; withData: number; min: number | null; max: number | null; mean: number | null } {
  let withData = 0;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of map.values) {
    if (Number.isNaN(v)) continue;
    withData++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { cells: map.values.length, withData, min: withData ? min : null, max: withData ? max : null, mean: withData ? sum / withData : null };
}
