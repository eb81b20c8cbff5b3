import { round } from '../../../src-shared/analysis/numbers';
import { argmaxLogits, repairOrder, summariseSegmentation } from '../../../src-shared/analysis/segmentation';
import type { KnownLaterality } from '../../../src-shared/domain/laterality';
import type { ScanScale, SegmentationSummary } from '../../../src-shared/domain/segmentation';
import type { SegmentationEngine } from './engine';
import { resizeNearest, type Prepared } from './preprocess';

export interface SegmentRequest {
  grey: Uint8Array;
  width: number;
  height: number;
  scale: ScanScale;
  eye: KnownLaterality | null;
}

export interface SegmentResult {
  /** Canonical class index per pixel, row-major, image size. */
  labels: Uint8Array;
  summary: SegmentationSummary;
}

/** Network output of one image -> repaired labels + summary (argmax, order repair, thickness, flags). */
export function postprocess(
  engine: SegmentationEngine,
  req: SegmentRequest,
  prepared: Prepared,
  logits: Float32Array,
  offset: number,
  timings: Record<string, number>,
): SegmentResult {
  const t0 = performance.now();
  const { classMap } = engine.model;
  let labels: Uint8Array;
  let confidence: Float32Array;
  if (prepared.mapBack === 'crop') {
    ({ labels, confidence } = argmaxLogits(logits, classMap, prepared.height, prepared.width, req.height, req.width, offset));
  } else {
    const r = argmaxLogits(logits, classMap, prepared.height, prepared.width, prepared.height, prepared.width, offset);
    labels = resizeNearest(r.labels, prepared.width, prepared.height, req.width, req.height);
    confidence = resizeNearest(r.confidence, prepared.width, prepared.height, req.width, req.height);
  }
  const orderRepair = repairOrder(labels, req.width, req.height);
  const card = engine.model.card;
  const summary = summariseSegmentation({
    labels,
    width: req.width,
    height: req.height,
    confidence,
    scale: req.scale,
    eye: req.eye,
    model: { id: card.id, version: card.version, name: card.name, trained: card.trained },
    engine: { engine: engine.kind, executionProvider: engine.executionProvider },
    orderRepair,
    timings: { ...timings, postprocess: round(performance.now() - t0) },
  });
  return { labels, summary };
}

