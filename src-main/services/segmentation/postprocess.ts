import { round } from '../../../src-shared/analysis/numbers';
import { addFinding, flipDisagreement, labelsFromLogits, mirroredArgmax, retinaBand, summariseSegmentation, type LogitsView } from '../../../src-shared/analysis/segmentation';
import { inferEye, readOrientationMarker } from '../../../src-shared/analysis/laterality';
import type { EyeAssessment } from '../../../src-shared/domain/laterality';
import type { ScanScale, SegmentationSummary } from '../../../src-shared/domain/segmentation';
import type { ModelEntry } from '../models/registry';
import type { SegmentationEngine } from './engine';
import { isDownscaled, resizeNearest, type Prepared } from './preprocess';
import { decodeSurfaceLabels } from './surface-decode';

export interface SegmentRequest {
  grey: Uint8Array;
  width: number;
  height: number;
  scale: ScanScale;
  /** The eye as known (file, manifest, user, or a marker read at import); null or 'unknown': see eyeOfImage. */
  eye: EyeAssessment | null;
}

export interface SegmentResult {
  /** Canonical class index per pixel, row-major, image size. */
  labels: Uint8Array;
  summary: SegmentationSummary;
}

/**
 * What post-processing needs of the engine: plain data, so that it can run in a thread of its own
 * (workers/postprocess.worker.ts) while the network runs the next image.
 */
export interface EngineFacts {
  kind: SegmentationEngine['kind'];
  executionProvider: string;
  precision?: SegmentationEngine['precision'];
  model: Pick<ModelEntry, 'card' | 'classMap'>;
}

export function engineFacts(engine: SegmentationEngine): EngineFacts {
  return { kind: engine.kind, executionProvider: engine.executionProvider, precision: engine.precision, model: { card: engine.model.card, classMap: engine.model.classMap } };
}

/** The tensor's shape, without its data (what post-processing reads of a Prepared). */
export type TensorShape = Pick<Prepared, 'width' | 'height' | 'mapBack'>;

/** What a flip check run after post-processing compares against (flipCheckOf). */
export interface FlipBasis {
  /** The first pass's argmax over the analysis region (the network's resolution), and that region's size. */
  argmax: Uint8Array;
  width: number;
  height: number;
}

/**
 * Network output of one image -> labels + summary: argmax, islands and order from the probabilities (or
 * a surface model's decode), thickness, flags with the network's own doubt (entropy; the flip check,
 * when flip-gate.ts asks for it, is added afterwards with flipCheckOf + applyFlipCheck).
 */
export function postprocess(
  engine: EngineFacts,
  req: SegmentRequest,
  prepared: TensorShape,
  logits: Float32Array,
  offset: number,
  timings: Record<string, number>,
  /** A surface model's boundary rows for this image ([9, tensor width]); see surface-decode.ts. */
  surfaceRows?: Float32Array,
): SegmentResult & { flipBasis: FlipBasis } {
  const t0 = performance.now();
  const { classMap } = engine.model;
  const crop = prepared.mapBack === 'crop';
  const region = analysisRegion(engine, req, prepared);
  const r = labelsFromLogits({
    logits, offset, ...region,
    // surface models: layers from the ordered boundary rows where the pixel head sees tissue; order
    // repair is skipped because it would fill the unlabelled holes (fluid, detachments) the decode keeps
    order: !surfaceRows,
  });
  let { labels, confidence } = r;
  if (!crop) {
    labels = resizeNearest(labels, prepared.width, prepared.height, req.width, req.height);
    confidence = resizeNearest(confidence, prepared.width, prepared.height, req.width, req.height);
  }
  if (surfaceRows) labels = decodeSurfaceLabels(labels, surfaceRows, classMap, prepared, req.width, req.height);
  const card = engine.model.card;
  const summary = summariseSegmentation({
    labels,
    width: req.width,
    height: req.height,
    confidence,
    scale: req.scale,
    eye: eyeOfImage(req),
    model: { id: card.id, version: card.version, name: card.name, trained: card.trained },
    engine: { engine: engine.kind, executionProvider: engine.executionProvider, precision: engine.precision ?? 'float32' },
    orderRepair: r.orderRepair,
    network: r.network,
    timings: { ...timings, postprocess: round(performance.now() - t0) },
  });
  if (isDownscaled(card, prepared, req.width, req.height)) {
    summary.inferenceSize = { width: prepared.width, height: prepared.height };
    addFinding(summary.flags, {
      code: 'downscaled',
      severity: 'info',
      message: `segmented at ${prepared.width}x${prepared.height}, downscaled from ${req.width}x${req.height} to bound memory; labels resized back; flip check not run`,
      details: { value: prepared.width / req.width, threshold: null, unit: 'share' },
    });
  }
  return { labels, summary, flipBasis: { argmax: r.argmax, width: region.width, height: region.height } };
}

/**
 * Where the analysis runs: at the resolution the network saw, the image itself (padding cropped) or the
 * resized tensor (whose labels are resized back).
 */
function analysisRegion(engine: EngineFacts, req: SegmentRequest, prepared: TensorShape) {
  const crop = prepared.mapBack === 'crop';
  return {
    classMap: engine.model.classMap, tensorWidth: prepared.width, tensorHeight: prepared.height,
    width: crop ? req.width : prepared.width, height: crop ? req.height : prepared.height,
  };
}

/**
 * The flip check's half done as soon as the mirrored run returns: its argmax labels over the analysis
 * region, so only those (a byte a pixel) are kept until post-processing, not the logits.
 */
export function mirroredLabels(engine: EngineFacts, req: SegmentRequest, prepared: TensorShape, mirrored: LogitsView): Uint8Array {
  return mirroredArgmax(mirrored, analysisRegion(engine, req, prepared));
}

/** The flip check's measure: how much of the first pass's retina band changes in the mirrored run's labels. */
export function flipCheckOf(basis: FlipBasis, mirrored: Uint8Array): number | null {
  return flipDisagreement(basis.argmax, mirrored, retinaBand(basis.argmax, basis.width, basis.height), basis.width);
}

/**
 * The eye to summarise with: the one given, else the orientation marker burned into the image (a bare
 * Cirrus export segmented from the CLI or the viewer reads the same as at import); still unknown, the
 * summary falls back to the anatomy (analysis/laterality precedence).
 */
function eyeOfImage(req: SegmentRequest): EyeAssessment | null {
  if (req.eye && req.eye.value !== 'unknown') return req.eye;
  return inferEye({ marker: readOrientationMarker(req.grey, req.width, req.height) });
}
