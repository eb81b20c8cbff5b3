/**
 * The en-face maps and the volume report of catalog volumes for the viewer (channels `enface.*`). One
 * volume's analysis (every map, grid and the fovea, Stratum's and the device's) is built once and kept
 * per scan while its segmentations, eye and scale stay as they were: a layer switch or the report then
 * costs no rebuild. A user's placement of the fovea (stored on the scan) recentres every grid and is
 * part of that cache key.
 */
import { isAbsolute, join } from 'node:path';
import { AppError } from '../../../src-shared/contract';
import type { EnfaceMapView } from '../../../src-shared/contract/channels/enface';
import { scaleForValues } from '../../../src-shared/analysis/enface/colour-scale';
import { MAP_KEYS, type MapKey } from '../../../src-shared/analysis/enface/surfaces';
import { rasterGeometry, RasterGeometryError, scannedBounds } from '../../../src-shared/analysis/enface/raster-geometry';
import type { VolumeAnalysis } from '../../../src-shared/analysis/enface/volume-analysis';
import type { CatalogService } from '../catalog/catalog-service';
import type { StoredFovea } from '../catalog/scan-fovea';
import { checkOutputFile, writeFileAtomicAsync } from '../files/atomic-write';
import { svgPagesToPdf } from '../reports/render';
import { composeVolumeReportSvg } from '../reports/volume-layout';
import { analyseVolume, type VolumeResult } from './analyse-volume';
import { catalogVolume, requireVolume, type CatalogVolume, type VolumeCatalog } from './catalog-volume-source';
import { mapJson } from './map-export';
import { volumeLines } from './volume-source';
import { volumeReportInput } from './volume-report-data';

export interface EnfaceServiceDeps {
  catalog: VolumeCatalog;
  reportsDir: string;
  appVersion: string;
  /** Where a user's fovea placement is kept and written (audited): the CatalogService. */
  fovea: Pick<CatalogService, 'foveaOf' | 'setFovea'>;
}

interface Cached {
  version: string;
  result: Promise<VolumeResult>;
}

/** Scans kept at once: a viewer looks at one volume, a few recent ones are enough. */
const CACHE_SCANS = 4;

export class EnfaceService {
  private readonly cache = new Map<number, Cached>();
  constructor(private readonly d: EnfaceServiceDeps) {}

  async maps(scanId: number, layer: MapKey, source: 'stratum' | 'device'): Promise<EnfaceMapView> {
    const { result } = await this.analysis(scanId);
    const a = source === 'stratum' ? result.stratum : result.device;
    const sources = (['stratum', 'device'] as const).filter((s) => (s === 'stratum' ? result.stratum : result.device) !== null);
    if (!a) throw new AppError('NOT_FOUND', `scan ${scanId} has no ${source === 'stratum' ? "Stratum segmentation" : 'device lines'} to map; segment it or pick ${sources.join(' or ') || 'another scan'}`, { scanId });
    const map = a.mapSet.maps[layer];
    const available = MAP_KEYS.filter((k) => a.mapSet.maps[k]);
    if (!map) throw new AppError('NOT_FOUND', `scan ${scanId}: the ${source} boundaries give no ${layer} map (maps: ${available.join(', ')})`, { scanId });
    const json = mapJson(layer, map.label, a.source, map);
    return {
      scanId,
      layer,
      label: map.label,
      source: a.source,
      unit: 'um',
      originMm: json.originMm,
      spacingMm: json.spacingMm,
      rows: json.rows,
      cols: json.cols,
      values: json.values,
      scale: scaleForValues(map.values, 'viridis'),
      grid: a.grids[layer] ?? null,
      fovea: a.fovea,
      eye: a.eye,
      available,
      sources: [...sources],
    };
  }

  /**
   * Places the fovea (mm on the localizer) or, with null, returns it to automatic. VALIDATION naming the
   * field for a coordinate that is not finite or lies outside the scanned area.
   */
  async setFovea(scanId: number, fovea: { xMm: number; yMm: number } | null): Promise<{ scanId: number; fovea: StoredFovea | null }> {
    const volume = requireVolume(catalogVolume(this.d.catalog, scanId));
    if (fovea !== null) {
      let b: ReturnType<typeof scannedBounds>;
      try {
        b = scannedBounds(rasterGeometry(volumeLines(volume.source)));
      } catch (error) {
        if (error instanceof RasterGeometryError) throw new AppError('BAD_INPUT', `scan ${scanId}: ${error.message}`, { scanId });
        throw error;
      }
      const check = (field: 'xMm' | 'yMm', v: number, min: number, max: number) => {
        if (!Number.isFinite(v)) throw new AppError('VALIDATION', `fovea.${field} must be a finite number of mm, not ${v}`, { scanId });
        if (v < min || v > max) throw new AppError('VALIDATION', `fovea.${field} = ${v} mm lies outside scan ${scanId}'s scanned area (${min.toFixed(3)} to ${max.toFixed(3)} mm)`, { scanId });
      };
      check('xMm', fovea.xMm, b.minX, b.maxX);
      check('yMm', fovea.yMm, b.minY, b.maxY);
    }
    return { scanId, fovea: this.d.fovea.setFovea(scanId, fovea) };
  }

  /** The volume report as a vector PDF at `path` (default: the reports folder). */
  async exportReport(scanId: number, path?: string): Promise<{ path: string }> {
    const target = path ?? join(this.d.reportsDir, `volume-${scanId}-${new Date().toISOString().replace(/[:.]/g, '-')}.pdf`);
    if (!isAbsolute(target)) throw new AppError('BAD_INPUT', `The report path must be absolute: ${target}`);
    checkOutputFile(target, 'report');
    const { result, volume } = await this.analysis(scanId);
    const input = await volumeReportInput(result, { catalog: volume, appVersion: this.d.appVersion });
    const pdf = await svgPagesToPdf([composeVolumeReportSvg(input)], { title: `Stratum volume report: ${input.scan.name}`, paper: 'a4' });
    await writeFileAtomicAsync(target, pdf);
    return { path: target };
  }

  private async analysis(scanId: number): Promise<{ result: VolumeResult; volume: CatalogVolume }> {
    const volume = requireVolume(catalogVolume(this.d.catalog, scanId));
    const placed = this.d.fovea.foveaOf(scanId);
    const version = JSON.stringify([this.versionOf(volume), placed && [placed.xMm, placed.yMm, placed.by]]);
    let hit = this.cache.get(scanId);
    if (!hit || hit.version !== version) {
      const built = placed ? analyseVolume(volume.source, { userFoveaMm: { x: placed.xMm, y: placed.yMm } }) : analyseVolume(volume.source);
      hit = { version, result: placed ? built.then((r) => sayWhoPlaced(r, placed.by)) : built };
      this.cache.delete(scanId);
      this.cache.set(scanId, hit);
      while (this.cache.size > CACHE_SCANS) this.cache.delete(this.cache.keys().next().value!);
      // a failed build is not kept: the next call tries again
      hit.result.catch(() => {
        if (this.cache.get(scanId) === hit) this.cache.delete(scanId);
      });
    }
    return { result: await hit.result, volume };
  }

  /** What the maps depend on: the scan's segmentations (a new one, a correction: a new row), its eye and scale. */
  private versionOf(v: CatalogVolume): string {
    const { count, lastId } = this.d.catalog.segmentations.revisionOf(v.scanId);
    return JSON.stringify([count, lastId, v.source.eye.value, v.source.scale.axialUmPerPx, v.source.scale.lateralUmPerPx]);
  }
}

/** A user's placement reads "set by <user>" wherever the fovea is shown (pane, report). */
function sayWhoPlaced(r: VolumeResult, by: string): VolumeResult {
  const say = (a: VolumeAnalysis | null): VolumeAnalysis | null => (a && a.fovea.method === 'user' ? { ...a, fovea: { ...a.fovea, how: `set by ${by}` } } : a);
  return { ...r, stratum: say(r.stratum), device: say(r.device) };
}
