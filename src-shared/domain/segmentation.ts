import type { LayerKey } from './layers';
import type { EyeAssessment } from './laterality';

/** Where a pixel spacing came from. Micrometres are only shown when this is not 'unknown'. */
export type ScaleProvenance = 'file' | 'device-profile' | 'user' | 'unknown';

export interface ScanScale {
  /** Micrometres per pixel along an A-scan (depth); null when unknown. */
  axialUmPerPx: number | null;
  /** Micrometres per pixel across A-scans; null when unknown. */
  lateralUmPerPx: number | null;
  provenance: ScaleProvenance;
  /** e.g. "Zeiss Cirrus 750x500 export profile (estimated)". */
  source?: string;
}

export type ThicknessUnit = 'um' | 'px';

/**
 * ETDRS-style segments along one horizontal B-scan through the fovea, keyed by where they lie on the
 * image (left to right as displayed): their extent does not depend on the eye, only their names do.
 * The eye names them (analysis/segmentation/zones.ts `zoneName`): for OD the left is temporal, for OS
 * nasal; while the eye is unknown they stay the image's left and right, never nasal or temporal.
 */
export const ZONE_KEYS = ['leftOuter', 'leftInner', 'centre', 'rightInner', 'rightOuter'] as const;
export type ZoneKey = (typeof ZONE_KEYS)[number];

/** A zone's anatomical name, once the eye is known. */
export const ANATOMICAL_ZONES = ['temporalOuter', 'temporalInner', 'centre', 'nasalInner', 'nasalOuter'] as const;
export type AnatomicalZone = (typeof ANATOMICAL_ZONES)[number];

/** What a zone is called in exports: anatomical with a known eye, the image key otherwise. */
export type ZoneName = AnatomicalZone | ZoneKey;

export interface ZoneSpan {
  key: ZoneKey;
  /** Column range [start, end) on the image. */
  startColumn: number;
  endColumn: number;
}

export interface LayerThickness {
  layer: LayerKey;
  unit: ThicknessUnit;
  /** Per column; null where the layer is absent in that column. */
  profile: (number | null)[];
  /** Mean thickness per zone in `unit`; null where the zone is off the image or the layer absent. */
  zoneMeans: Record<ZoneKey, number | null>;
  mean: number | null;
}

/** How much a finding weighs: 'failure' (the numbers cannot be trusted), 'review' (a clinician must look), 'info'. */
export type QualitySeverity = 'failure' | 'review' | 'info';

/** What each quality rule (analysis/segmentation/quality.ts QUALITY_RULES) measures, by its finding code. */
export const QUALITY_CODES = [
  'columns-without-retina', 'missing-layers', 'inner-layers-missing', 'order-repaired', 'surface-jumps', 'gaps-in-retina',
  'high-entropy', 'flip-disagreement', 'low-confidence', 'fovea-unclear', 'implausible-thickness', 'layer-too-thick', 'downscaled',
  /** A reason stored before findings existed, read back (its measure unknown). */
  'earlier-flag',
] as const;
export type QualityCode = (typeof QUALITY_CODES)[number];

/** One reason a scan needs a look, as data: what was measured, against which threshold, and what it means. */
export interface QualityFinding {
  code: QualityCode;
  severity: QualitySeverity;
  /** The reason in words, with the measured value and the threshold. */
  message: string;
  details: {
    /** The measured value, in `unit`. */
    value: number | null;
    /** The threshold it crossed (for a range, the bound it is beyond). */
    threshold: number | null;
    unit: 'share' | 'count' | 'um' | 'entropy' | 'confidence' | 'px';
  };
}

export interface QualityFlags {
  orderViolationsRepaired: number;
  /**
   * Share of columns (0..1) missing a layer that belongs there: no retina at all, or one of INL..RPE (INL
   * and OPL excused inside the foveal window). NFL/GCL+IPL outside the fovea: measures['inner-layers-missing'].
   */
  columnsMissingLayers: number;
  implausibleThickness: string[];
  /** Share of retinal pixels with confidence below the low-confidence threshold. */
  lowConfidenceShare: number;
  likelyFailure: boolean;
  /** A finding of severity 'failure' or 'review': the scan goes to the review queue. Absent in summaries stored before it existed. */
  needsReview?: boolean;
  /** Human-readable reasons, for the review queue (the findings' messages). */
  reasons: string[];
  /** The reasons as data (absent in summaries stored before they existed: analysis findingsOf reads both). */
  findings?: QualityFinding[];
  /** Every rule's measured value by code, raised or not; null where it could not be measured (no network output). */
  measures?: Partial<Record<QualityCode, number | null>>;
}

export interface SegmentationSummary {
  model: { id: string; version: string; name: string; trained: boolean };
  /** `precision`: 'int8' when the ONNX engine ran the model's int8 variant (older summaries lack it: float32). */
  engine: { engine: string; executionProvider: string; precision?: 'float32' | 'int8' };
  scale: ScanScale;
  width: number;
  height: number;
  fovea: { column: number; method: string; confidence: number } | null;
  zones: ZoneSpan[];
  /** Per layer, NFL..Choroid, then 'total' (TRT: top of NFL to bottom of RPE) in `total`. */
  layers: LayerThickness[];
  total: Omit<LayerThickness, 'layer'> & { layer: 'TRT' };
  confidence: { mean: number; lowShare: number };
  flags: QualityFlags;
  timings: Record<string, number>;
  /**
   * Set when the network ran on a smaller copy of the image (an image over INFERENCE_MAX_PIXELS,
   * domain/limits.ts, to bound memory): the size it ran at. Labels and thickness are at the image's size.
   */
  inferenceSize?: { width: number; height: number };
  /**
   * The eye the zones are named with, where it came from and how sure (domain/laterality.ts). 'unknown'
   * names the zones by the image's left and right. A catalog scan's own eye, when known, overrides it.
   */
  eye: EyeAssessment;
  /** Set on a clinician's correction: the model segmentation it started from and how much of it changed. */
  correction?: { baseSegmentationId: number; changedShare: number; changedPixels: number; correctedBy: string };
}
