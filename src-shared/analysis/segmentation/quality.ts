/**
 * Stage 6: quality flags, what puts a scan in the review queue. Every threshold is in QUALITY_RULES,
 * and the layers each rule looks at come from the layer table.
 */
import { CLASS_COUNT, RETINAL_LAYERS } from '../../domain/layers';
import type { LayerThickness, QualityFlags, ThicknessUnit } from '../../domain/segmentation';
import { round } from '../numbers';
import type { LayerBoundaries } from './boundaries';
import type { FoveaResult } from './fovea';

/** The thresholds behind the flags and reasons. Shares are 0..1. */
export const QUALITY_RULES = {
  /** A pixel whose softmax maximum is below this counts as low-confidence. */
  lowConfidencePixel: 0.5,
  /** Over this share of low-confidence retinal pixels: a reason to review. */
  lowConfidenceShareToReview: 0.3,
  /** Over this share of low-confidence retinal pixels: a likely failure. */
  lowConfidenceShareForFailure: 0.5,
  /** Over this share of columns missing a layer that never vanishes (INL..RPE): a reason and a likely failure. */
  columnsMissingRequiredLayers: 0.3,
  /** A layer whose mean thickness exceeds this share of the image height is implausible (a likely failure). */
  layerShareOfImageHeight: 0.4,
  /** A fovea found with less confidence than this: "no clear foveal pit". */
  foveaConfidence: 0.2,
  /** Order repaired in over this share of columns: a reason to review. */
  orderRepairedColumns: 0.5,
  /** Plausible mean total retinal thickness (µm) over a macular B-scan; outside it: implausible. */
  totalRetinaUm: [120, 700] as const,
} as const;

/** 1 for the retinal layers' class indices (NFL..RPE), read from the layer table. */
const IS_RETINAL = (() => {
  const table = new Uint8Array(CLASS_COUNT);
  for (const l of RETINAL_LAYERS) table[l.index] = 1;
  return table;
})();
/**
 * Layers present in every column of a good segmentation: NFL and GCL+IPL legitimately thin to nothing
 * at the foveal pit, so a failure is judged on the others (INL..RPE).
 */
const REQUIRED_LAYERS = RETINAL_LAYERS.filter((l) => !l.absentAtFovea);
const REQUIRED_NAMES = `${REQUIRED_LAYERS[0]!.key}..${REQUIRED_LAYERS[REQUIRED_LAYERS.length - 1]!.key}`;

/** Mean softmax maximum over retinal pixels and the share of them below the low-confidence threshold. */
export function retinalConfidence(labels: Uint8Array, confidence: Float32Array | null): { mean: number; lowShare: number } {
  // a mask loaded from disk has no confidence: full confidence, none low
  if (!confidence) return { mean: 1, lowShare: 0 };
  let retinal = 0;
  let low = 0;
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    if (IS_RETINAL[labels[i]!] !== 1) continue;
    retinal++;
    const v = confidence[i]!;
    sum += v;
    if (v < QUALITY_RULES.lowConfidencePixel) low++;
  }
  return retinal === 0 ? { mean: 0, lowShare: 0 } : { mean: sum / retinal, lowShare: low / retinal };
}

/** Share of columns missing any retinal layer, and share missing a required one (INL..RPE). */
export function missingLayerShares(b: LayerBoundaries, width: number): { any: number; required: number } {
  if (width === 0) return { any: 1, required: 1 };
  let missingAny = 0;
  let missingRequired = 0;
  for (let x = 0; x < width; x++) {
    if (RETINAL_LAYERS.some((l) => b.top[l.index]![x]! < 0)) missingAny++;
    if (REQUIRED_LAYERS.some((l) => b.top[l.index]![x]! < 0)) missingRequired++;
  }
  return { any: missingAny / width, required: missingRequired / width };
}

export interface QualityInput {
  width: number;
  height: number;
  unit: ThicknessUnit;
  axialUmPerPx: number | null;
  boundaries: LayerBoundaries;
  totalPx: readonly (number | null)[];
  layers: readonly LayerThickness[];
  totalMean: number | null;
  fovea: FoveaResult | null;
  lowConfidenceShare: number;
  orderRepairedColumns: number;
}

/** The flags and the human-readable reasons for the review queue, in a fixed order. */
export function qualityFlags(q: QualityInput): QualityFlags {
  const R = QUALITY_RULES;
  const missing = missingLayerShares(q.boundaries, q.width);
  const implausible: string[] = [];
  const reasons: string[] = [];
  const [trtMin, trtMax] = R.totalRetinaUm;
  if (q.unit === 'um' && q.totalMean !== null && (q.totalMean < trtMin || q.totalMean > trtMax)) {
    implausible.push(`TRT mean ${q.totalMean} µm outside ${trtMin}-${trtMax} µm`);
  }
  for (const l of q.layers) {
    const px = l.mean === null ? null : q.unit === 'um' ? l.mean / q.axialUmPerPx! : l.mean;
    if (px !== null && px > q.height * R.layerShareOfImageHeight) {
      implausible.push(`${l.layer} mean thickness is ${Math.round(px)} px, over ${Math.round(R.layerShareOfImageHeight * 100)}% of the image height`);
    }
  }
  const noRetina = q.totalPx.every((v) => v === null);
  const tooManyMissing = missing.required > R.columnsMissingRequiredLayers;
  if (noRetina) reasons.push('no retinal layer found');
  if (tooManyMissing) reasons.push(`${Math.round(missing.required * 100)}% of columns lack one of ${REQUIRED_NAMES}`);
  if (q.lowConfidenceShare > R.lowConfidenceShareToReview) reasons.push(`${Math.round(q.lowConfidenceShare * 100)}% of retinal pixels have low confidence`);
  if (!q.fovea) reasons.push('fovea not found');
  else if (q.fovea.confidence < R.foveaConfidence) reasons.push('no clear foveal pit');
  if (q.orderRepairedColumns > q.width * R.orderRepairedColumns) reasons.push(`order repaired in ${q.orderRepairedColumns} of ${q.width} columns`);
  reasons.push(...implausible);
  const likelyFailure = noRetina || tooManyMissing || q.lowConfidenceShare > R.lowConfidenceShareForFailure || implausible.length > 0;
  return {
    orderViolationsRepaired: q.orderRepairedColumns,
    columnsMissingLayers: round(missing.any, 4),
    implausibleThickness: implausible,
    lowConfidenceShare: round(q.lowConfidenceShare, 4),
    likelyFailure,
    reasons,
  };
}
