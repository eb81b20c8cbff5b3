import { AppError } from '../../../src-shared/contract';
import { resegmentQuestion } from '../../../src-shared/domain/review';
import type { SegmentationsRepo } from '../catalog/segmentations';

/**
 * Re-segmenting a scan that has a correction or a sign-off asks first (domain/review.ts resegmentQuestion):
 * without `force`, CONFIRMATION_REQUIRED names each such scan and what it has, before any work starts.
 * The renderer asks and retries with force; the CLI needs --force (exit status 3 otherwise).
 */
export function requireResegmentConsent(segmentations: Pick<SegmentationsRepo, 'facts'>, scanIds: readonly number[], force = false): void {
  if (force) return;
  const asks = scanIds.flatMap((scanId) => {
    const question = resegmentQuestion(segmentations.facts(scanId));
    return question ? [{ scanId, question }] : [];
  });
  if (asks.length === 0) return;
  const message =
    asks.length === 1
      ? `Scan ${asks[0]!.scanId}: ${asks[0]!.question}`
      : `${asks.length} scans have corrections or sign-offs (${asks.map((a) => `scan ${a.scanId}`).join(', ')}). Re-segmenting stores the new output beside them and discards nothing.`;
  throw new AppError('CONFIRMATION_REQUIRED', message, { scanIds: asks.map((a) => a.scanId), questions: asks });
}
