/**
 * Stage 6: quality flags, what puts a scan in the review queue and why. Each rule in QUALITY_RULES
 * measures one thing (a departure from normal anatomy, or the network's own doubt), has one threshold
 * and says in words what it found; a finding carries the measured value and the threshold as data.
 *
 * How the thresholds were chosen: from the 60 normal OCTID Cirrus scans in ../shared/data/
 * octid-unannotated segmented by the shipped model (stratum-unet-light 1.1.0), never from the diseased
 * scans. Each threshold is those normals' 99th percentile times 1.5, or a stated floor where normals
 * measure 0 or the margin would be too thin, so a normal scan from another device has room before it is
 * flagged. The percentiles are the float model's; its int8 variant (the default on CPU) measures the same
 * normals about the same (99th percentiles within 0.001 on entropy and flip, lower on gaps and order),
 * so one set of thresholds holds for both (with either: diseased 21/21 flagged, normals 1/60 and 0/60). `scripts/flag-counts.ts`
 * prints those distributions (p50 / p99 / max) beside each threshold, and the counts that result.
 */
import { CLASS_COUNT, RETINAL_LAYERS } from '../../domain/layers';
import type { LayerThickness, QualityCode, QualityFinding, QualityFlags, QualitySeverity, ThicknessUnit } from '../../domain/segmentation';
import { round } from '../numbers';
import { fovealWindowPx, LAYER_GROUPS, missingLayers, surfaceJumps } from './anatomy-measures';
import type { LayerBoundaries } from './boundaries';
import type { FoveaResult } from './fovea';
import { bandGapShare, retinaBand } from './uncertainty';

/** A pixel whose softmax maximum is below this counts as low-confidence. */
export const LOW_CONFIDENCE_PIXEL = 0.5;

type Unit = QualityFinding['details']['unit'];

export interface QualityRule {
  code: QualityCode;
  unit: Unit;
  /** Raised when the measure is above `above` (or below `below`, or outside `outside`). */
  above?: number;
  below?: number;
  outside?: readonly [number, number];
  /** Severity when raised, and the bound past which it becomes a likely failure. */
  severity: QualitySeverity;
  failureAbove?: number;
  reason: (value: number, threshold: number) => string;
}

const pct = (v: number) => `${round(v * 100, 1)} %`;

/** The rules, in the order their reasons are listed. Shares are 0..1. */
export const QUALITY_RULES = {
  /** Normals: 0 in every scan. Floor 2 % (a scan edge where the retina leaves the image); over 30 %: a failure. */
  columnsWithoutRetina: {
    code: 'columns-without-retina', unit: 'share', above: 0.02, severity: 'review', failureAbove: 0.3,
    reason: (v, t) => (v >= 1 ? 'no retinal layer found' : `${pct(v)} of columns have no retina (threshold ${pct(t)})`),
  },
  /** Normals: p99 0.44 % (INL/OPL excused at the pit); x1.5 = 0.66 %, floor 2 %. Over 30 %: a failure. */
  missingLayers: {
    code: 'missing-layers', unit: 'share', above: 0.02, severity: 'review', failureAbove: 0.3,
    reason: (v, t) => `${pct(v)} of columns with retina lack one of ${LAYER_GROUPS.required} (threshold ${pct(t)})`,
  },
  /** Normals: p99 21.2 % (the thin temporal NFL is below the scan's resolution); x1.5 = 32 %. */
  innerLayersMissing: {
    code: 'inner-layers-missing', unit: 'share', above: 0.32, severity: 'review',
    reason: (v, t) => `${pct(v)} of columns outside the fovea lack ${LAYER_GROUPS.inner} (threshold ${pct(t)})`,
  },
  /** Normals: p99 3.6 % of columns; x1.5 = 5.4 %. */
  orderRepaired: {
    code: 'order-repaired', unit: 'share', above: 0.055, severity: 'review',
    reason: (v, t) => `layer order had to be repaired in ${pct(v)} of columns (threshold ${pct(t)})`,
  },
  /** Normals: none in any scan. Floor: more than one. */
  surfaceJumps: {
    code: 'surface-jumps', unit: 'count', above: 1, severity: 'review',
    reason: (v) => `the inner or outer retinal surface jumps at ${v} places between neighbouring columns (a hole's rim, a detachment or blocky labels)`,
  },
  /** Normals: p99 0.025 % of the band's pixels (a few specks; a cyst of 40 pixels is 0.07 %); x1.5 = 0.04 %. */
  gapsInRetina: {
    code: 'gaps-in-retina', unit: 'share', above: 0.0004, severity: 'review',
    reason: (v, t) => `${round(v * 100, 2)} % of the retina is left unlabelled (holes, cysts, fluid or doubt; threshold ${round(t * 100, 3)} %)`,
  },
  /** Normals: p99 0.081 (entropy / log 9, inside the retina); x1.5 = 0.122. */
  highEntropy: {
    code: 'high-entropy', unit: 'entropy', above: 0.122, severity: 'review',
    reason: (v, t) => `the network is unsure inside the retina (mean entropy ${round(v, 3)}, threshold ${round(t, 3)})`,
  },
  /** Normals: p99 1.24 % of the band's pixels; x1.5 = 1.9 %. */
  flipDisagreement: {
    code: 'flip-disagreement', unit: 'share', above: 0.019, severity: 'review',
    reason: (v, t) => `the network's answer changes on the mirrored image in ${pct(v)} of the retina (threshold ${pct(t)})`,
  },
  /** Normals: max 0.5 %. Kept from before the rule table: over 30 % a reason, over 50 % a failure. */
  lowConfidence: {
    code: 'low-confidence', unit: 'share', above: 0.3, severity: 'review', failureAbove: 0.5,
    reason: (v) => `${pct(v)} of retinal pixels have low confidence`,
  },
  /** Normals: every pit found with confidence 1 (shared-data run). Under 0.2 (or none): unclear. */
  foveaUnclear: {
    code: 'fovea-unclear', unit: 'confidence', below: 0.2, severity: 'review',
    reason: (v) => (v <= 0 ? 'fovea not found' : `no clear foveal pit (confidence ${round(v, 2)})`),
  },
  /** Mean total retinal thickness of a macular B-scan (µm), where the scale is known. Normals: 295 µm median, max 325 µm. */
  implausibleThickness: {
    code: 'implausible-thickness', unit: 'um', outside: [120, 700], severity: 'failure',
    reason: (v) => `TRT mean ${round(v)} µm outside 120-700 µm`,
  },
  /** A layer whose mean thickness is over this share of the image height is implausible. Normals: max 8.7 %. */
  layerTooThick: {
    code: 'layer-too-thick', unit: 'share', above: 0.4, severity: 'failure',
    reason: (v, t) => `a layer's mean thickness is ${pct(v)} of the image height, over ${pct(t)}`,
  },
} as const satisfies Record<string, QualityRule>;

/** 1 for the retinal layers' class indices (NFL..RPE), read from the layer table. */
const IS_RETINAL = (() => {
  const table = new Uint8Array(CLASS_COUNT);
  for (const l of RETINAL_LAYERS) table[l.index] = 1;
  return table;
})();

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
    if (v < LOW_CONFIDENCE_PIXEL) low++;
  }
  return retinal === 0 ? { mean: 0, lowShare: 0 } : { mean: sum / retinal, lowShare: low / retinal };
}

/** What only the network's run knows (null for a mask from disk or a correction). */
export interface NetworkMeasures {
  /** Mean normalised entropy inside the retina band (uncertainty.ts bandEntropy). */
  bandEntropy: number | null;
  /** Share of band pixels that change when the image is mirrored (uncertainty.ts flipDisagreement); null when not run. */
  flipDisagreement: number | null;
}

export interface QualityInput {
  labels: Uint8Array;
  width: number;
  height: number;
  unit: ThicknessUnit;
  axialUmPerPx: number | null;
  lateralUmPerPx: number | null;
  boundaries: LayerBoundaries;
  layers: readonly LayerThickness[];
  totalMean: number | null;
  fovea: FoveaResult | null;
  /** null when the labels carry no confidence (a mask from disk). */
  lowConfidenceShare: number | null;
  orderRepairedColumns: number;
  network?: NetworkMeasures | null;
}

type RuleKey = keyof typeof QUALITY_RULES;

/** Each rule's measured value (null: not measurable here). */
function measure(q: QualityInput): Record<RuleKey, number | null> {
  const missing = missingLayers(q.boundaries, q.width, q.fovea?.column ?? null, fovealWindowPx(q.width, q.lateralUmPerPx));
  let thickest = 0;
  for (const l of q.layers) {
    const px = l.mean === null ? null : q.unit === 'um' ? l.mean / q.axialUmPerPx! : l.mean;
    if (px !== null) thickest = Math.max(thickest, px / q.height);
  }
  return {
    columnsWithoutRetina: missing.withoutRetina,
    missingLayers: missing.withoutRetina >= 1 ? null : missing.required,
    innerLayersMissing: missing.withoutRetina >= 1 ? null : missing.inner,
    orderRepaired: q.width === 0 ? 0 : q.orderRepairedColumns / q.width,
    surfaceJumps: surfaceJumps(q.boundaries, q.width),
    gapsInRetina: bandGapShare(q.labels, retinaBand(q.labels, q.width, q.height), q.width),
    highEntropy: q.network?.bandEntropy ?? null,
    flipDisagreement: q.network?.flipDisagreement ?? null,
    lowConfidence: q.lowConfidenceShare,
    foveaUnclear: q.fovea?.confidence ?? 0,
    implausibleThickness: q.unit === 'um' ? q.totalMean : null,
    layerTooThick: thickest,
  };
}

/** The finding of one rule for its measured value, or null when not raised. */
function judge(rule: QualityRule, value: number | null): QualityFinding | null {
  if (value === null || !Number.isFinite(value)) return null;
  let threshold: number | null = null;
  if (rule.above !== undefined && value > rule.above) threshold = rule.above;
  if (rule.below !== undefined && value < rule.below) threshold = rule.below;
  if (rule.outside !== undefined && (value < rule.outside[0] || value > rule.outside[1])) threshold = value < rule.outside[0] ? rule.outside[0] : rule.outside[1];
  if (threshold === null) return null;
  const severity: QualitySeverity = rule.failureAbove !== undefined && value > rule.failureAbove ? 'failure' : rule.severity;
  return { code: rule.code, severity, message: rule.reason(value, threshold), details: { value: round(value, 5), threshold, unit: rule.unit } };
}

/** The flags, the findings and the human-readable reasons for the review queue, in a fixed order. */
export function qualityFlags(q: QualityInput): QualityFlags {
  const values = measure(q);
  const findings: QualityFinding[] = [];
  const measures: Partial<Record<QualityCode, number | null>> = {};
  for (const key of Object.keys(QUALITY_RULES) as RuleKey[]) {
    const rule: QualityRule = QUALITY_RULES[key];
    const value = values[key];
    measures[rule.code] = value === null ? null : round(value, 5);
    const f = judge(rule, value);
    if (f) findings.push(f);
  }
  const missing = missingLayers(q.boundaries, q.width, q.fovea?.column ?? null, fovealWindowPx(q.width, q.lateralUmPerPx));
  return {
    orderViolationsRepaired: q.orderRepairedColumns,
    columnsMissingLayers: round(missing.any, 4),
    implausibleThickness: findings.filter((f) => f.code === 'implausible-thickness' || f.code === 'layer-too-thick').map((f) => f.message),
    lowConfidenceShare: round(q.lowConfidenceShare ?? 0, 4),
    likelyFailure: findings.some((f) => f.severity === 'failure'),
    needsReview: findings.some((f) => f.severity !== 'info'),
    reasons: findings.map((f) => f.message),
    findings,
    measures,
  };
}

const BRIEF: Partial<Record<QualityCode, (v: number) => string>> = {
  'columns-without-retina': (v) => (v >= 1 ? 'no retinal layer found' : `no retina in ${pct(v)} of columns`),
  'missing-layers': (v) => `${LAYER_GROUPS.required} missing in ${pct(v)} of columns`,
  'inner-layers-missing': (v) => `NFL/GCL+IPL missing in ${pct(v)} off the fovea`,
  'order-repaired': (v) => `order repaired in ${pct(v)} of columns`,
  'surface-jumps': (v) => `retinal surface jumps at ${v} places`,
  'gaps-in-retina': (v) => `${round(v * 100, 2)} % of the retina unlabelled`,
  'high-entropy': (v) => `network unsure (entropy ${round(v, 3)})`,
  'flip-disagreement': (v) => `${pct(v)} changes on the mirrored scan`,
  'low-confidence': (v) => `${pct(v)} low-confidence pixels`,
  'fovea-unclear': (v) => (v <= 0 ? 'fovea not found' : 'no clear foveal pit'),
  'implausible-thickness': (v) => `TRT mean ${round(v)} µm implausible`,
  'layer-too-thick': (v) => `a layer is ${pct(v)} of the image height`,
};

/** A finding in a few words (where space is short: the report's side column); its message otherwise. */
export function briefOf(f: QualityFinding): string {
  const brief = BRIEF[f.code];
  return brief && f.details.value !== null ? brief(f.details.value) : f.message;
}

/** Adds a finding raised outside the rule table (e.g. the engine's downscaling note) to a summary's flags. */
export function addFinding(flags: QualityFlags, finding: QualityFinding): void {
  flags.findings = [...(flags.findings ?? []), finding];
  flags.reasons.push(finding.message);
  if (finding.severity !== 'info') flags.needsReview = true;
  if (finding.severity === 'failure') flags.likelyFailure = true;
}

/**
 * The findings of any stored summary's flags: today's as they are; one stored before findings existed
 * gets its reasons back as findings of unknown measure (a likely failure's as 'failure', else 'review').
 */
export function findingsOf(flags: QualityFlags): QualityFinding[] {
  if (flags.findings) return flags.findings;
  return flags.reasons.map((message) => ({
    code: 'earlier-flag' as const,
    severity: flags.likelyFailure ? ('failure' as const) : ('review' as const),
    message,
    details: { value: null, threshold: null, unit: 'share' as const },
  }));
}

/** The network measures a stored summary's flags recorded, for a summary recomputed from its label map. */
export function networkMeasuresOf(flags: QualityFlags): NetworkMeasures | null {
  const m = flags.measures;
  if (!m) return null;
  return { bandEntropy: m['high-entropy'] ?? null, flipDisagreement: m['flip-disagreement'] ?? null };
}

/** Whether a stored summary's scan needs review (older summaries: a likely failure or any reason). */
export function needsReview(flags: QualityFlags): boolean {
  return flags.needsReview ?? (flags.likelyFailure || flags.reasons.length > 0);
}
