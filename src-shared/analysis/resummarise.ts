/**
 * A stored segmentation's summary again, from its own label map, for a scan whose eye or scale a person
 * corrected (issue 15.2): the zones, µm values and flags follow the new facts and the network does not
 * run again. Through the one summariseSegmentation, so these numbers are those a fresh run would give.
 *
 * What only the network's run knew is kept from the old summary: its confidence statistics and its own
 * doubt (entropy, flip disagreement: the per-pixel maps are not stored), the order repair it needed,
 * the size it ran at and its timings; a correction keeps what it corrected and by whom.
 */
import type { ScanScale, SegmentationSummary } from '../domain/segmentation';
import { addFinding, findingsOf, networkMeasuresOf, summariseSegmentation, type SummariseInput } from './segmentation';

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
    // the measure the flags recorded is the finer one (the summary's confidence is rounded further)
    runConfidence: { mean: old.confidence.mean, lowShare: old.flags.measures?.['low-confidence'] ?? old.confidence.lowShare },
    network: networkMeasuresOf(old.flags),
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
    for (const finding of findingsOf(old.flags).filter((f) => f.code === 'downscaled')) addFinding(next.flags, finding);
  }
  if (old.correction) next.correction = old.correction;
  return next;
}

/** Whether two scales would give different numbers or a different stated provenance. */
export function scaleDiffers(a: ScanScale, b: ScanScale): boolean {
  return a.axialUmPerPx !== b.axialUmPerPx || a.lateralUmPerPx !== b.lateralUmPerPx || a.provenance !== b.provenance || (a.source ?? null) !== (b.source ?? null);
}
