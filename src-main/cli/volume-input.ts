/**
 * The volume a maps/grid/report command works on: a vendor file given by path (opened read-only,
 * Stratum's segmentation run now), or a catalog scan by id (its stored segmentations, read-only beside
 * the app). Shared option parsing for those commands.
 */
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../src-shared/contract';
import type { PointMm } from '../../src-shared/formats/types';
import { openSeriesFile } from '../services/formats/open-series-file';
import { SeriesRepo } from '../services/catalog/series';
import { catalogVolume, requireVolume, type CatalogVolume } from '../services/enface/catalog-volume-source';
import { sourceFromSeries, type VolumeSource } from '../services/enface/volume-source';
import { analyseVolume, type VolumeResult } from '../services/enface/analyse-volume';
import { SegmentationService } from '../services/segmentation/segmentation-service';
import { withCatalogReader } from './context';

export interface VolumeInputOptions {
  scan?: string;
  fovea?: string;
  spacing?: string;
  model?: string;
  deviceOnly?: boolean;
}

export interface OpenedVolume {
  source: VolumeSource;
  /** Set for a catalog scan: its id, patient and review. */
  catalog: CatalogVolume | null;
  /** The file path for a file (for Stratum's segmentation to run on it). */
  file: string | null;
}

/** Runs `body` with the volume named by FILE or --scan ID (exactly one). */
export async function withVolume<T>(command: Command, file: string | undefined, opts: VolumeInputOptions, body: (v: OpenedVolume) => Promise<T>): Promise<T> {
  if ((file === undefined) === (opts.scan === undefined)) throw new AppError('VALIDATION', 'Give either a vendor OCT file (or export folder) or --scan ID.');
  if (opts.scan !== undefined) {
    const id = Number(opts.scan);
    if (!Number.isInteger(id) || id <= 0) throw new AppError('VALIDATION', `--scan takes a scan id, not "${opts.scan}"`);
    return withCatalogReader(command, async (s) => {
      const v = requireVolume(catalogVolume({ ...s, series: new SeriesRepo(s.db) }, id));
      return body({ source: v.source, catalog: v, file: null });
    });
  }
  const path = resolve(file!);
  const { series, close } = await openSeriesFile(path);
  try {
    return await body({ source: sourceFromSeries(series, basename(path)), catalog: null, file: path });
  } finally {
    await close();
  }
}

/** The analysis options of maps/grid, parsed (and so validated) before any volume is opened. */
export interface VolumeAnalysisOptions {
  stratum: boolean;
  userFoveaMm?: PointMm;
  spacingMm?: number;
}

export function parseVolumeAnalysisOptions(opts: VolumeInputOptions): VolumeAnalysisOptions {
  const userFoveaMm = parseFovea(opts.fovea);
  const spacingMm = parseSpacing(opts.spacing);
  return { stratum: !opts.deviceOnly, ...(userFoveaMm ? { userFoveaMm } : {}), ...(spacingMm ? { spacingMm } : {}) };
}

/**
 * Analyses the opened volume for maps/grid: a file is segmented now (unless --device-only), a catalog
 * scan uses its stored segmentation; NOT_FOUND when neither Stratum's nor the device's lines exist.
 * `body` runs while the segmentation service is still open; the service is closed afterwards.
 */
export async function withVolumeAnalysis(v: OpenedVolume, opts: VolumeInputOptions, analysis: VolumeAnalysisOptions, body: (r: VolumeResult) => Promise<void> | void): Promise<void> {
  const service = v.file && !opts.deviceOnly ? new SegmentationService({ modelId: opts.model }) : undefined;
  try {
    const r = await analyseVolume(v.source, { ...(service ? { service, onProgress: progressLine('Segmenting') } : {}), ...analysis });
    if (!r.stratum && !r.device) throw new AppError('NOT_FOUND', `${v.source.name}: no B-scan has a segmentation or device lines: segment it first (stratum segment --scan ID)`);
    await body(r);
  } finally {
    await service?.close();
  }
}

/** --fovea X,Y (mm on the localizer): a user's placement of the grid centre. */
export function parseFovea(text: string | undefined): PointMm | undefined {
  if (text === undefined) return undefined;
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text);
  if (!m) throw new AppError('VALIDATION', `--fovea takes X,Y in mm on the localizer (e.g. 4.3,3.9), not "${text}"`);
  return { x: Number(m[1]), y: Number(m[2]) };
}

/** --spacing MM: the en-face grid's cell size, 0.005 to 0.2 mm. */
export function parseSpacing(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (!Number.isFinite(v) || v < 0.005 || v > 0.2) throw new AppError('VALIDATION', `--spacing takes a cell size in mm from 0.005 to 0.2, not "${text}"`);
  return v;
}

/** Progress of segmenting a volume on stderr: a live line on a terminal, a line per 25 % otherwise. */
export function progressLine(what: string): (done: number, total: number) => void {
  let lastQuarter = -1;
  return (done, total) => {
    if (process.stderr.isTTY) {
      process.stderr.write(`\r\x1b[K${what}: B-scan ${done}/${total}${done === total ? '\n' : ''}`);
      return;
    }
    const q = Math.floor((done / total) * 4);
    if (q !== lastQuarter) {
      lastQuarter = q;
      process.stderr.write(`${what}: B-scan ${done}/${total}\n`);
    }
  };
}
