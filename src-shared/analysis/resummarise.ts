/**
 * A stored segmentation's summary again, from its own label map, for a scan whose eye or scale a person
 * corrected (issue 15.2): the zones, µm values and flags follow the new facts and the network does not
 * run again. Through the one summariseSegmentation, so these numbers are those a fresh run would give.
 *
 * What only the network's run knew is kept from the old summary: its confidence statistics (the
 * per-pixel map is not stored), the order repair it needed, the size it ran at and its timings; a
 * correction keeps what it corrected and by whom.
 */
import type { ScanScale, SegmentationSummary } from '../domain/segmentation';
import { summariseSegmentation, type SummariseInput } from './segmentation';

export interface ResummariseInput {
  old: SegmentationSummary;
  /** The stored label map (row-major class indices, the summary's width x height). */
  labels: Uint8Array;
  scale: ScanScale;
  eye: SummariseInput['eye'];
}

export function resummarise({ old, labels, scale, eye }: ResummariseInput): SegmentationSummary {
  const next = summariseSegmentation({
    labels,
    width: old.width,
    height: old.height,
    confidence: null,
    runConfidence: old.confidence,
    scale,
    eye,
    model: old.model,
    engine: old.engine,
    orderRepair: { columns: old.flags.orderViolationsRepaired, pixels: 0 },
    timings: old.timings,
  });
  if (old.inferenceSize) {
    next.inferenceSize = old.inferenceSize;
    // the run's own note (postprocess.ts), which no summary of the labels can produce again
    const { width, height } = old.inferenceSize;
    next.flags.reasons.push(...old.flags.reasons.filter((r) => r.startsWith(`segmented at ${width}x${height}`)));
  }
  if (old.correction) next.correction = old.correction;
  return next;
}

/** Whether two scales would give different numbers or a different stated provenance. */
export function scaleDiffers(a: ScanScale, b: ScanScale): boolean {
  return a.axialUmPerPx !== b.axialUmPerPx || a.lateralUmPerPx !== b.lateralUmPerPx || a.provenance !== b.provenance || (a.source ?? null) !== (b.source ?? null);
}
