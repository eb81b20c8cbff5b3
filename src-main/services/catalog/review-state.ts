import type { ScansRepo } from './scans';
import type { SegmentationsRepo } from './segmentations';

/**
 * A scan's review columns (state, flag, reasons: what the catalog filters read) follow its current
 * segmentation (domain/review.ts). SegmentationsRepo calls this, through its `scanChanged`, inside each
 * write's transaction; the container wires it to CatalogService.syncReviewState.
 */
export function syncReviewState(repos: { scans: ScansRepo; segmentations: SegmentationsRepo }, scanId: number): void {
  repos.scans.setReviewState(scanId, repos.segmentations.scanReviewState(scanId));
}
