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

export interface QualityFlags {
  orderViolationsRepaired: number;
  /** Share of columns (0..1) where at least one retinal layer (NFL..RPE) is missing. */
  columnsMissingLayers: number;
  implausibleThickness: string[];
  /** Share of retinal pixels with confidence below the low-confidence threshold. */
  lowConfidenceShare: number;
  likelyFailure: boolean;
  /** Human-readable reasons, for the review queue. */
  reasons: string[];
}

export interface SegmentationSummary {
  model: { id: string; version: string; name: string; trained: boolean };
  engine: { engine: string; executionProvider: string };
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
