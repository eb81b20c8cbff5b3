import { visitChanges, type PatientEyeVisits, type VisitInput } from '../../../src-shared/analysis/visit-change';
import type { ScansRepo } from './scans';
import type { SegmentationsRepo } from './segmentations';

/**
 * The visits of the same patient's same eye as `scanId` (its own included), each with its current
 * current segmentation (domain/review.ts: the newest correction, else the newest model output). Scans
 * without one are left out.
 */
export function visitsOfScan(repos: { scans: ScansRepo; segmentations: SegmentationsRepo }, scanId: number): PatientEyeVisits {
  const scan = repos.scans.require(scanId);
  const linkable = scan.patientId !== null && scan.eye !== 'unknown';
  const scans = linkable ? [...repos.scans.each({ patientId: scan.patientId!, eye: scan.eye })] : [scan];
  const inputs: VisitInput[] = [];
  for (const s of scans) {
    const summary = repos.segmentations.currentSegmentation(s.id)?.summary;
    if (summary) inputs.push({ scanId: s.id, acquiredAt: s.acquiredAt, summary });
  }
  const result = visitChanges(inputs);
  if (!linkable) result.notes.unshift(scan.patientId === null ? 'no patient id: other visits cannot be linked' : 'eye unknown: visits of the same eye cannot be linked');
  return { ...result, patient: scan.patientExternalId, eye: scan.eye };
}
