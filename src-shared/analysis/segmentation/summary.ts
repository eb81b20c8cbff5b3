/**
 * The stages put together: the whole summary of one scan from its order-repaired label map.
 */
import { LAYERS } from '../../domain/layers';
import type { KnownLaterality } from '../../domain/laterality';
import type { LayerThickness, ScanScale, SegmentationSummary, ThicknessUnit } from '../../domain/segmentation';
import { round } from '../numbers';
import { layerBoundaries, layerThicknessPx, totalThicknessPx } from './boundaries';
import { findFovea } from './fovea';
import { qualityFlags, retinalConfidence } from './quality';
import { thicknessRecord, zoneSpans } from './zones';

export interface SummariseInput {
  /** Order-repaired labels. */
  labels: Uint8Array;
  width: number;
  height: number;
  /** Softmax maxima (same layout), or null when unknown (e.g. a mask loaded from disk). */
  confidence: Float32Array | null;
  scale: ScanScale;
  /** null: unknown, treated as OD and reported as assumed. */
  eye: KnownLaterality | null;
  model: SegmentationSummary['model'];
  engine: SegmentationSummary['engine'];
  orderRepair: { columns: number; pixels: number };
  timings?: Record<string, number>;
}

/** The whole summary for one scan from its repaired label map: boundaries, thickness, fovea, zones, flags. */
export function summariseSegmentation(input: SummariseInput): SegmentationSummary {
  const t0 = now();
  const { labels, width, height, confidence, scale } = input;
  const axial = scale.axialUmPerPx;
  const unit: ThicknessUnit = axial !== null && axial > 0 ? 'um' : 'px';
  const boundaries = layerBoundaries(labels, width, height);
  const totalPx = totalThicknessPx(boundaries, width);
  const fovea = findFovea(totalPx);
  const eye: KnownLaterality = input.eye ?? 'OD';
  const zones = fovea ? zoneSpans(fovea.column, width, scale.lateralUmPerPx, eye) : [];
  const layers: LayerThickness[] = LAYERS.map((l) => ({ layer: l.key, ...thicknessRecord(layerThicknessPx(boundaries, l.index), unit, axial, zones) }));
  const total = { layer: 'TRT' as const, ...thicknessRecord(totalPx, unit, axial, zones) };
  const conf = retinalConfidence(labels, confidence);
  const flags = qualityFlags({
    width,
    height,
    unit,
    axialUmPerPx: axial,
    boundaries,
    totalPx,
    layers,
    totalMean: total.mean,
    fovea,
    lowConfidenceShare: conf.lowShare,
    orderRepairedColumns: input.orderRepair.columns,
    eyeAssumed: input.eye === null && zones.length > 0,
  });
  const timings = { ...(input.timings ?? {}), thickness: round(now() - t0, 2) };
  return {
    model: input.model,
    engine: input.engine,
    scale,
    width,
    height,
    fovea,
    zones,
    layers,
    total,
    confidence: { mean: round(conf.mean, 4), lowShare: round(conf.lowShare, 4) },
    flags,
    timings,
    eye: { value: eye, assumed: input.eye === null },
  };
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
