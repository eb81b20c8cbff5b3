/**
 * Stores a vendor file's B-scans in the content-addressed library, as lossless 8-bit grey PNGs, with
 * the localizer and the device's boundaries. Runs in the series-import worker (workers/series-import.worker.ts):
 * decoding a B-scan costs tens of milliseconds (TIFF/JPEG 2000 decode, float transform, PNG encode), so a
 * 145-B-scan volume must not run on the main thread's event loop.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { deviceSegmentationName } from '../../../src-shared/domain/series';
import type { GreyImage, OctSeries, StatedDimensions } from '../../../src-shared/formats/types';
import { ImageLibrary } from '../catalog/library';
import type { NewBscan, NewDeviceBoundaries, NewLocalizer, NewSeries } from '../catalog/series';
import { openSeriesFile } from '../formats/open-series-file';

export interface SeriesStoreTask {
  path: string;
  libraryDir: string;
  dimensions?: StatedDimensions;
  seriesIndex?: number;
}

/** What the catalog inserts once the images are in the library (the scan row and the series rows). */
export type StoredSeries = Pick<NewSeries, 'bscans' | 'localizer' | 'device'> & { firstPngBytes: number };

/** B-scans decoded and encoded at once: the decode of the next overlaps the encode of the last. */
const IN_FLIGHT = 3;

export async function encodeGreyPng(image: GreyImage): Promise<Buffer> {
  // compression 6 without adaptive filtering: ~2x smaller than level 3 on OCT speckle, still fast
  return sharp(Buffer.from(image.pixels.buffer, image.pixels.byteOffset, image.pixels.byteLength), { raw: { width: image.width, height: image.height, channels: 1 } })
    .toColourspace('b-w')
    .png({ compressionLevel: 6, adaptiveFiltering: false })
    .toBuffer();
}

function storePng(library: ImageLibrary, png: Buffer): { storedFile: string; sha256: string } {
  const sha256 = createHash('sha256').update(png).digest('hex');
  return { storedFile: library.store(png, sha256, 'png'), sha256 };
}

export async function storeSeries(task: SeriesStoreTask, progress: (done: number, total: number) => void): Promise<StoredSeries> {
  const library = new ImageLibrary(task.libraryDir);
  const opened = await openSeriesFile(task.path, { ...(task.dimensions ? { dimensions: task.dimensions } : {}), ...(task.seriesIndex !== undefined ? { seriesIndex: task.seriesIndex } : {}) });
  try {
    const { series } = opened;
    const bscans = new Array<NewBscan>(series.bscanCount);
    let firstPngBytes = 0;
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < series.bscanCount) {
        const index = next++;
        const image = await series.bscan(index);
        const png = await encodeGreyPng(image);
        if (index === 0) firstPngBytes = png.length;
        const meta = series.bscanMeta[index];
        bscans[index] = { index, ...storePng(library, png), width: image.width, height: image.height, geometry: meta?.geometry ?? null, quality: meta?.quality ?? null };
        progress(++done, series.bscanCount);
      }
    };
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, series.bscanCount) }, worker));
    return { bscans, localizer: await storeLocalizer(series, library), device: await deviceLines(series), firstPngBytes };
  } finally {
    await opened.close();
  }
}

async function storeLocalizer(series: OctSeries, library: ImageLibrary): Promise<NewLocalizer | null> {
  const l = series.localizer;
  if (!l) return null;
  const described = { width: l.width, height: l.height, scaleXMm: l.scaleXMm, scaleYMm: l.scaleYMm, modality: l.modality };
  if (l.missing) return { ...described, storedFile: null, missing: l.missing };
  const image = await l.read();
  return { ...described, width: image.width, height: image.height, storedFile: storePng(library, await encodeGreyPng(image)).storedFile, missing: null };
}

async function deviceLines(series: OctSeries): Promise<StoredSeries['device']> {
  const d = series.deviceBoundaries;
  if (!d) return null;
  const perBscan: NewDeviceBoundaries[] = [];
  for (let i = 0; i < Math.min(d.bscanCount, series.bscanCount); i++) {
    const lines = await d.read(i);
    // a B-scan the device left without any value has no device segmentation
    if (Object.values(lines).some((line) => line.some((v) => Number.isFinite(v)))) perBscan.push({ bscanIndex: i, lines });
  }
  return perBscan.length ? { name: deviceSegmentationName(series.device, series.formatLabel), source: d.source, width: d.width, perBscan } : null;
}
