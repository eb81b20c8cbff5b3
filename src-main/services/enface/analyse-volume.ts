/**
 * One volume analysed from Stratum's segmentation and from the device's lines where it has them: both
 * on one en-face grid, both graded around one fovea (Stratum's pit when it has maps, else the
 * device's; a user's placement wins), and their difference per subfield.
 */
import { mapStats, volumeSampler, type VolumeSurfaces } from '../../../src-shared/analysis/enface/map-set';
import { analyseVolume as analyseSurfaces, type VolumeAnalysis } from '../../../src-shared/analysis/enface/volume-analysis';
import { compareGrids, type GridComparison } from '../../../src-shared/analysis/enface/device-comparison';
import { RasterGeometryError } from '../../../src-shared/analysis/enface/raster-geometry';
import { AppError } from '../../../src-shared/contract';
import type { PointMm } from '../../../src-shared/formats/types';
import type { Laterality } from '../../../src-shared/domain/laterality';
import { volumeLines, type VolumeSource } from './volume-source';
import { deviceSurfaces, stratumSurfaces, type SegmentVolumeOptions, type StratumSurfaces } from './volume-surfaces';

export interface VolumeResult {
  source: VolumeSource;
  eye: Laterality;
  /** Stratum's analysis; null when no B-scan has Stratum's boundaries (nothing stored, no service given). */
  stratum: VolumeAnalysis | null;
  device: VolumeAnalysis | null;
  /** Stratum minus device per subfield, for the maps both have; null without both. */
  comparison: GridComparison[] | null;
  /** How Stratum's boundaries were obtained; null when `stratum` was not asked for. */
  segmentation: Omit<StratumSurfaces, 'volume'> | null;
  /** The surfaces each analysis was made from (a B-scan's lines for the report's fovea B-scan). */
  surfaces: { stratum: VolumeSurfaces | null; device: VolumeSurfaces | null };
}

export interface AnalyseVolumeOptions extends SegmentVolumeOptions {
  /** Make Stratum's maps (stored segmentations, and with `service` the B-scans still unsegmented). Default true. */
  stratum?: boolean;
  /** The grid's cell size (mm); default: the A-scan spacing. */
  spacingMm?: number;
  userFoveaMm?: PointMm;
}

export async function analyseVolume(source: VolumeSource, options: AnalyseVolumeOptions = {}): Promise<VolumeResult> {
  const lines = volumeLines(source);
  let sampler: ReturnType<typeof volumeSampler>;
  try {
    sampler = volumeSampler(lines, options.spacingMm);
  } catch (error) {
    if (error instanceof RasterGeometryError) throw new AppError('BAD_INPUT', `${source.name}: ${error.message}`);
    throw error;
  }
  const eye = source.eye.value;
  const common = { eye, sampler, ...(options.userFoveaMm ? { userFoveaMm: options.userFoveaMm } : {}) };
  const run = options.stratum === false ? null : await stratumSurfaces(source, options);
  const hasStratum = run !== null && run.volume.surfaces.some((s) => s !== undefined);
  let stratum = hasStratum ? analyseSurfaces(run.volume, common) : null;
  const dev = await deviceSurfaces(source);
  const found = (a: VolumeAnalysis | null) => a !== null && a.fovea.method !== 'scan-centre';
  const device = dev ? analyseSurfaces(dev, { ...common, ...(found(stratum) ? { fovea: stratum!.fovea } : {}) }) : null;
  // Stratum found no pit (no total retina, say) but the device's lines show one: both use the device's
  if (stratum && !found(stratum) && found(device)) stratum = analyseSurfaces(run!.volume, { ...common, fovea: device!.fovea });
  let segmentation: VolumeResult['segmentation'] = null;
  if (run) {
    const { volume: _volume, ...facts } = run;
    segmentation = facts;
  }
  return {
    source,
    eye,
    stratum,
    device,
    comparison: stratum && device ? compareGrids(stratum, device) : null,
    segmentation,
    surfaces: { stratum: hasStratum ? run.volume : null, device: dev },
  };
}

/** The analysis a single figure shows: Stratum's when its total retina map holds data, else the device's. */
export function primaryAnalysis(r: Pick<VolumeResult, 'stratum' | 'device'>): VolumeAnalysis {
  const hasTotal = (a: VolumeAnalysis | null) => a?.mapSet.maps.total !== undefined && mapStats(a.mapSet.maps.total).withData > 0;
  const a = hasTotal(r.stratum) ? r.stratum : hasTotal(r.device) ? r.device : (r.stratum ?? r.device);
  if (!a) throw new AppError('NOT_FOUND', 'The volume has neither a segmentation nor device lines to analyse');
  return a;
}
