/**
 * The en-face maps and the volume report of catalog volumes for the viewer (channels `enface.*`). One
 * volume's analysis (every map, grid and the fovea, Stratum's and the device's) is built once and kept
 * per scan while its segmentations, eye and scale stay as they were: a layer switch or the report then
 * costs no rebuild.
 */
import { isAbsolute, join } from 'node:path';
import { AppError } from '../../../src-shared/contract';
import type { EnfaceMapView } from '../../../src-shared/contract/channels/enface';
import { scaleForValues } from '../../../src-shared/analysis/enface/colour-scale';
import { MAP_KEYS, type MapKey } from '../../../src-shared/analysis/enface/surfaces';
import { checkOutputFile, writeFileAtomicAsync } from '../files/atomic-write';
import { svgPagesToPdf } from '../reports/render';
import { composeVolumeReportSvg } from '../reports/volume-layout';
import { analyseVolume, type VolumeResult } from './analyse-volume';
import { catalogVolume, requireVolume, type CatalogVolume, type VolumeCatalog } from './catalog-volume-source';
import { mapJson } from './map-export';
import { volumeReportInput } from './volume-report-data';

export interface EnfaceServiceDeps {
  catalog: VolumeCatalog;
  reportsDir: string;
  appVersion: string;
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
    const version = this.versionOf(volume);
    let hit = this.cache.get(scanId);
    if (!hit || hit.version !== version) {
      hit = { version, result: analyseVolume(volume.source) };
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
