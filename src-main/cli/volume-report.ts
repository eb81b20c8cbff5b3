/**
 * `stratum report` for volumes: a catalog scan of kind 'volume' (--scan ID) or a vendor volume file
 * gets the volume report (maps, ETDRS grid, device comparison, drusen, fovea B-scan) as PDF and/or PNG
 * from one SVG page, and --json the grid table (the same as `stratum grid --json`).
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { version } from '../../package.json';
import { AppError } from '../../src-shared/contract';
import { SeriesRepo } from '../services/catalog/series';
import { analyseVolume } from '../services/enface/analyse-volume';
import { catalogVolume, type CatalogVolume } from '../services/enface/catalog-volume-source';
import { gridReportJson } from '../services/enface/grid-export';
import { volumeReportInput } from '../services/enface/volume-report-data';
import { sourceFromSeries, type VolumeSource } from '../services/enface/volume-source';
import { writeFileAtomic } from '../services/files/atomic-write';
import { userPath } from '../services/files/user-path';
import { detectFileFormat, openSeriesFile } from '../services/formats/open-series-file';
import { svgPagesToPdf, svgToPng } from '../services/reports/render';
import { composeVolumeReportSvg } from '../services/reports/volume-layout';
import { SegmentationService } from '../services/segmentation/segmentation-service';
import type { ReadServices } from './catalog-access';
import { progressLine } from './volume-input';

export interface VolumeReportOptions {
  pdf?: string;
  png?: string;
  json?: string;
  paper?: string;
  model?: string;
}

async function writeVolumeReport(source: VolumeSource, catalog: CatalogVolume | null, service: SegmentationService | undefined, opts: VolumeReportOptions): Promise<void> {
  const r = await analyseVolume(source, { ...(service ? { service, onProgress: progressLine('Segmenting') } : {}) });
  const input = await volumeReportInput(r, { catalog, appVersion: version, ...(service ? { service } : {}) });
  const svg = composeVolumeReportSvg(input);
  const write = (file: string, bytes: Uint8Array | string) => {
    const path = userPath(file);
    writeFileAtomic(path, bytes);
    process.stderr.write(`wrote ${path}\n`);
  };
  if (opts.pdf) write(opts.pdf, await svgPagesToPdf([svg], { title: `Stratum volume report: ${input.scan.name}`, paper: opts.paper === 'letter' ? 'letter' : 'a4' }));
  if (opts.png) write(opts.png, await svgToPng(svg));
  if (opts.json) write(opts.json, `${JSON.stringify(gridReportJson(r), null, 1)}\n`);
}

/** The volume report of catalog scan `scanId` when it is a volume; false for any other scan (the B-scan report applies). */
export async function volumeReportForScan(s: ReadServices, scanId: number, opts: VolumeReportOptions): Promise<boolean> {
  if (s.scans.require(scanId).kind !== 'volume') return false;
  const v = catalogVolume({ ...s, series: new SeriesRepo(s.db) }, scanId);
  await writeVolumeReport(v.source, v, undefined, opts);
  return true;
}

/** The volume report of a vendor file (segmented now, nothing imported) when it is a volume; false for an image. */
export async function volumeReportForFile(file: string, opts: VolumeReportOptions): Promise<boolean> {
  const path = resolve(userPath(file));
  const folder = (await stat(path).catch(() => null))?.isDirectory() ?? false;
  if (!folder && !(await detectFileFormat(path))) return false;
  const { series, close } = await openSeriesFile(path);
  const service = new SegmentationService({ modelId: opts.model });
  try {
    if (series.kind !== 'volume') {
      throw new AppError('BAD_INPUT', `${file}: a ${series.kind} scan of ${series.bscanCount} B-scan(s); the volume report needs a volume (import it and report --scan ID for its B-scans)`);
    }
    await writeVolumeReport(sourceFromSeries(series, file.split(/[\\/]/).filter(Boolean).pop() ?? file), null, service, opts);
    return true;
  } finally {
    await service.close();
    await close();
  }
}
