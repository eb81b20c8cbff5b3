/**
 * The stages put together: the whole summary of one scan from its order-repaired label map.
 */
import { LAYERS } from '../../domain/layers';
import { UNKNOWN_EYE, type EyeAssessment } from '../../domain/laterality';
import type { LayerThickness, ScanScale, SegmentationSummary, ThicknessUnit } from '../../domain/segmentation';
import { inferEye } from '../laterality/infer';
import { nasalSideFromAnatomy } from '../laterality/anatomy';
import { round } from '../numbers';
import { layerBoundaries, layerThicknessPx, totalThicknessPx } from './boundaries';
import { findFovea } from './fovea';
import { qualityFlags, retinalConfidence, type NetworkMeasures } from './quality';
import { thicknessRecord, zoneSpans } from './zones';

export interface SummariseInput {
  /** Order-repaired labels. */
  labels: Uint8Array;
  width: number;
  height: number;
  /** Softmax maxima (same layout), or null when unknown (e.g. a mask loaded from disk). */
  confidence: Float32Array | null;
  /**
   * The network run's confidence statistics when its per-pixel map is gone: a summary recomputed from a
   * stored label map (a new eye or scale, analysis/resummarise.ts) keeps the run's confidence and flags.
   */
  runConfidence?: { mean: number; lowShare: number };
  scale: ScanScale;
  /**
   * The scan's eye as known before segmenting (file, manifest, user or marker); null or 'unknown' lets
   * the anatomy of this segmentation decide where it can (a clear foveal pit), else zones stay left/right.
   */
  eye: EyeAssessment | null;
  model: SegmentationSummary['model'];
  engine: SegmentationSummary['engine'];
  orderRepair: { columns: number; pixels: number };
  /** The network's own doubt about this scan (quality.ts); absent for a mask from disk or a correction. */
  network?: NetworkMeasures | null;
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
  const eye = eyeFor(input, fovea);
  const zones = fovea ? zoneSpans(fovea.column, width, scale.lateralUmPerPx) : [];
  const layers: LayerThickness[] = LAYERS.map((l) => ({ layer: l.key, ...thicknessRecord(layerThicknessPx(boundaries, l.index), unit, axial, zones) }));
  const total = { layer: 'TRT' as const, ...thicknessRecord(totalPx, unit, axial, zones) };
  const conf = input.runConfidence ?? retinalConfidence(labels, confidence);
  const flags = qualityFlags({
    labels,
    width,
    height,
    unit,
    axialUmPerPx: axial,
    lateralUmPerPx: scale.lateralUmPerPx,
    boundaries,
    layers,
    totalMean: total.mean,
    fovea,
    lowConfidenceShare: conf.lowShare,
    orderRepairedColumns: input.orderRepair.columns,
    network: input.network ?? null,
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
    eye,
  };
}

/**
 * A fovea this clear means a fovea-centred horizontal scan: what the anatomy rule is made for. The 140
 * OCTID line scans and the Spectralis line scan reach 0.8-1; the Spectralis circle scan around the disc,
 * which the rule does not fit, finds a "pit" of 0.5.
 */
const ANATOMY_MIN_FOVEA_CONFIDENCE = 0.7;

/** The given eye, else what the anatomy of this segmentation says (domain/laterality precedence), else unknown. */
function eyeFor(input: SummariseInput, fovea: ReturnType<typeof findFovea>): EyeAssessment {
  if (input.eye && input.eye.value !== 'unknown') return { ...input.eye };
  if (!fovea || fovea.confidence < ANATOMY_MIN_FOVEA_CONFIDENCE) return { ...UNKNOWN_EYE };
  const { labels, width, height, scale } = input;
  const anatomy = nasalSideFromAnatomy({ labels, width, height, foveaColumn: fovea.column, lateralUmPerPx: scale.lateralUmPerPx });
  return inferEye({ anatomy });
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
