/**
 * One volume's analysis from one set of boundaries: the map set, the fovea, the ETDRS grid of every map
 * and the drusen measures. Stratum's and the device's analyses of one volume share the grid (one
 * sampler) and the fovea, so their numbers compare subfield by subfield.
 */
import type { PointMm } from '../../formats/types';
import type { Laterality } from '../../domain/laterality';
import { drusenMeasures, type DrusenMeasures } from './drusen';
import type { GridSampler } from './enface-map';
import { gridStats, type GridStats } from './etdrs';
import { findFovea3d, userFovea, type Fovea3d } from './fovea-3d';
import { buildMapSet, type MapSet, type VolumeSurfaces } from './map-set';
import { rasterGeometry, scanCentre, type RasterGeometry } from './raster-geometry';
import type { MapKey } from './surfaces';

export interface VolumeAnalysis {
  source: VolumeSurfaces['source'];
  eye: Laterality;
  mapSet: MapSet;
  fovea: Fovea3d;
  /** Per map the ETDRS statistics around the fovea. */
  grids: Partial<Record<MapKey, GridStats>>;
  /** From the RPE complex map; null without one (a device without an RPE line). */
  drusen: DrusenMeasures | null;
}

export interface AnalyseOptions {
  eye: Laterality;
  /** Share one grid between analyses of the same volume. */
  sampler?: GridSampler;
  geometry?: RasterGeometry;
  /** A fovea already found (the other analysis's) or placed by a user; default: found in this total map. */
  fovea?: Fovea3d;
  /** A user's placement (mm on the localizer); wins over `fovea`. */
  userFoveaMm?: PointMm;
  normalRpeUm?: number;
  minElevationUm?: number;
}

export function analyseVolume(volume: VolumeSurfaces, options: AnalyseOptions): VolumeAnalysis {
  const geometry = options.geometry ?? rasterGeometry(volume.lines);
  const mapSet = buildMapSet(volume, options.sampler, geometry);
  const total = mapSet.maps.total ?? null;
  const fovea = options.userFoveaMm
    ? userFovea(options.userFoveaMm, total)
    : (options.fovea ?? (total ? findFovea3d(total, geometry) : noFovea(geometry)));
  const grids: VolumeAnalysis['grids'] = {};
  for (const [key, map] of Object.entries(mapSet.maps) as [MapKey, NonNullable<MapSet['maps'][MapKey]>][]) {
    grids[key] = gridStats(map, fovea.centreMm, options.eye);
  }
  const rpe = mapSet.maps.RPE;
  const drusen = rpe
    ? drusenMeasures(rpe, fovea.centreMm, {
        axialUmPerPx: volume.axialUmPerPx,
        ...(options.normalRpeUm !== undefined ? { normalRpeUm: options.normalRpeUm } : {}),
        ...(options.minElevationUm !== undefined ? { minElevationUm: options.minElevationUm } : {}),
      })
    : null;
  return { source: volume.source, eye: options.eye, mapSet, fovea, grids, drusen };
}

function noFovea(geometry: RasterGeometry): Fovea3d {
  return { centreMm: scanCentre(geometry), method: 'scan-centre', how: 'no total retina map: the grid is centred on the scan centre', confidence: 0, pitUm: null, rimUm: null, ringCoverage: 0 };
}
