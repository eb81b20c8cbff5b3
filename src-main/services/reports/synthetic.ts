import sharp from 'sharp';
import { LAYERS } from '../../../src-shared/domain/layers';
import {
  ZONE_KEYS,
  type LayerThickness,
  type ScanScale,
  type SegmentationSummary,
  type ZoneKey,
  type ZoneSpan,
} from '../../../src-shared/domain/segmentation';

/**
 * A synthetic scan for tests, demos and the report samples: a foveal pit with eight smooth layers, its
 * label map, a matching summary (simple per-column pixel counts) and a grey B-scan image.
 */
export interface SyntheticScan {
  width: number;
  height: number;
  labelMap: Uint8Array;
  summary: SegmentationSummary;
  image: Uint8Array;
}

const BASE = [14, 16, 13, 9, 24, 6, 9, 30];

export async function syntheticScan(options: { width?: number; height?: number; scale?: ScanScale; trained?: boolean } = {}): Promise<SyntheticScan> {
  const width = options.width ?? 512;
  const height = options.height ?? 496;
  const scale: ScanScale = options.scale ?? {
    axialUmPerPx: 3.87,
    lateralUmPerPx: 11.72,
    provenance: 'device-profile',
    source: 'Synthetic 6 mm line profile',
  };
  const labelMap = new Uint8Array(width * height);
  const fovea = Math.round(width * 0.52);
  const thickness: number[][] = LAYERS.map(() => new Array<number>(width).fill(0));
  for (let x = 0; x < width; x++) {
    const d = (x - fovea) / (width * 0.08);
    const pit = Math.exp(-d * d);
    let y = Math.round(height * 0.3 + 8 * Math.sin(x / 60) + 10 * pit);
    for (let li = 0; li < LAYERS.length; li++) {
      let t = BASE[li]! * (1 + 0.1 * Math.sin(x / 45 + li));
      if (li <= 3) t *= 1 - 0.85 * pit; // inner layers thin at the pit
      if (li === 4) t *= 1 + 0.6 * pit;
      const ti = Math.max(0, Math.round(t));
      for (let k = 0; k < ti && y < height; k++, y++) labelMap[y * width + x] = LAYERS[li]!.index;
      thickness[li]![x] = ti;
    }
  }
  const unitUm = scale.provenance !== 'unknown' && scale.axialUmPerPx !== null;
  const f = unitUm ? scale.axialUmPerPx! : 1;
  const zoneW = Math.round(width * 0.13);
  const zones: ZoneSpan[] = [
    { key: 'temporalOuter', startColumn: fovea - Math.round(2.5 * zoneW), endColumn: fovea - Math.round(1.5 * zoneW) },
    { key: 'temporalInner', startColumn: fovea - Math.round(1.5 * zoneW), endColumn: fovea - Math.round(0.5 * zoneW) },
    { key: 'centre', startColumn: fovea - Math.round(0.5 * zoneW), endColumn: fovea + Math.round(0.5 * zoneW) },
    { key: 'nasalInner', startColumn: fovea + Math.round(0.5 * zoneW), endColumn: fovea + Math.round(1.5 * zoneW) },
    { key: 'nasalOuter', startColumn: fovea + Math.round(1.5 * zoneW), endColumn: Math.min(width, fovea + Math.round(2.5 * zoneW)) },
  ];
  const mk = (profile: (number | null)[]) => {
    const zoneMeans = {} as Record<ZoneKey, number | null>;
    for (const key of ZONE_KEYS) {
      const z = zones.find((zz) => zz.key === key)!;
      const vals = profile.slice(Math.max(0, z.startColumn), z.endColumn).filter((v): v is number => v !== null);
      zoneMeans[key] = vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : null;
    }
    const all = profile.filter((v): v is number => v !== null);
    return { unit: unitUm ? ('um' as const) : ('px' as const), profile, zoneMeans, mean: all.length ? all.reduce((a, b) => a + b, 0) / all.length : null };
  };
  const layers: LayerThickness[] = LAYERS.map((l, li) => ({
    layer: l.key,
    ...mk(thickness[li]!.map((t) => (t > 0 ? t * f : null))),
  }));
  const total = mk(Array.from({ length: width }, (_, x) => thickness.slice(0, 7).reduce((a, t) => a + t[x]!, 0) * f));
  const summary: SegmentationSummary = {
    model: { id: 'stratum-unet-small', version: '0.0.0-placeholder', name: 'Stratum U-Net (small)', trained: options.trained ?? false },
    engine: { engine: 'onnx', executionProvider: 'cpu' },
    scale,
    width,
    height,
    fovea: { column: fovea, method: 'minimum inner retina thickness', confidence: 0.92 },
    zones,
    layers,
    total: { ...total, layer: 'TRT' },
    confidence: { mean: 0.93, lowShare: 0.021 },
    flags: {
      orderViolationsRepaired: 3,
      columnsMissingLayers: 0.012,
      implausibleThickness: [],
      lowConfidenceShare: 0.021,
      likelyFailure: false,
      reasons: [],
    },
    timings: { inferenceMs: 120 },
  };
  // grey B-scan: bright RPE/EZ band, speckle-free bands per layer, dark vitreous
  const grey = [0, 170, 110, 70, 140, 50, 200, 235, 120];
  const pixels = Buffer.alloc(width * height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = grey[labelMap[i]!]! + ((i * 2654435761) >>> 28);
  const image = await sharp(pixels, { raw: { width, height, channels: 1 } }).png().toBuffer();
  return { width, height, labelMap, summary, image: new Uint8Array(image) };
}
