/**
 * A synthetic scan for report and export tests (and the report samples, STRATUM_REPORT_SAMPLES): a
 * macular label map with a foveal pit, a grey B-scan drawn from it, and its summary computed by the
 * app's own analysis (repairOrder + summariseSegmentation), so the numbers a report prints are the
 * ones the engine would give for that map.
 */
import sharp from 'sharp';
import { repairOrder, summariseSegmentation } from '../src-shared/analysis/segmentation';
import type { KnownLaterality } from '../src-shared/domain/laterality';
import type { ScanScale, SegmentationSummary } from '../src-shared/domain/segmentation';
import { fovealPitLabels } from './label-maps';

export interface SyntheticScan {
  width: number;
  height: number;
  labelMap: Uint8Array;
  summary: SegmentationSummary;
  /** PNG bytes of the grey B-scan. */
  image: Uint8Array;
}

/** A 6 mm line scan's spacing (as a Spectralis-like 512 x 496 export would carry). */
export const SYNTHETIC_SCALE: ScanScale = {
  axialUmPerPx: 3.87,
  lateralUmPerPx: 11.72,
  provenance: 'device-profile',
  source: 'Synthetic 6 mm line profile',
};

/** Confidence as a network gives it: high inside a layer, lower on the row where a layer begins. */
function syntheticConfidence(labels: Uint8Array, width: number): Float32Array {
  const conf = new Float32Array(labels.length).fill(0.97);
  for (let i = width; i < labels.length; i++) if (labels[i] !== labels[i - width]) conf[i] = 0.45;
  return conf;
}

export async function syntheticScan(
  options: { width?: number; height?: number; scale?: ScanScale; trained?: boolean; eye?: KnownLaterality | null } = {},
): Promise<SyntheticScan> {
  const width = options.width ?? 512;
  const height = options.height ?? 496;
  const { labels } = fovealPitLabels(width, height);
  const orderRepair = repairOrder(labels, width, height);
  const summary = summariseSegmentation({
    labels,
    width,
    height,
    confidence: syntheticConfidence(labels, width),
    scale: options.scale ?? SYNTHETIC_SCALE,
    eye: options.eye === null ? null : { value: options.eye ?? 'OD', source: 'manifest', confidence: 1 },
    model: { id: 'stratum-unet-small', version: '0.0.0-placeholder', name: 'Stratum U-Net (small)', trained: options.trained ?? false },
    engine: { engine: 'onnx', executionProvider: 'cpu' },
    orderRepair,
    timings: { inferenceMs: 120 },
  });
  // grey B-scan: bright RPE/EZ band, speckle-free bands per layer, dark vitreous
  const grey = [0, 170, 110, 70, 140, 50, 200, 235, 120];
  const pixels = Buffer.alloc(width * height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = grey[labels[i]!]! + ((i * 2654435761) >>> 28);
  const image = await sharp(pixels, { raw: { width, height, channels: 1 } }).png().toBuffer();
  return { width, height, labelMap: labels, summary, image: new Uint8Array(image) };
}
