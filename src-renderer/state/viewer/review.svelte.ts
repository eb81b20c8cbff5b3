import { api } from '../../api/client';
import { describeError } from '../../api/messages';
import type { SegmentationPair } from './segmentation-pair.svelte';

/**
 * Signing off the segmentation on screen (never a different one, and the view stays where it is) and
 * exporting the scan's report, which is made from the scan's current segmentation.
 */
export class ReviewState {
  /** Path of the last report written. */
  exported = $state<string | null>(null);
  error = $state<string | null>(null);
  busy = $state(false);

  constructor(
    private readonly pair: SegmentationPair,
    private readonly scanId: () => number | null,
    /** Tells the viewer the scan's review state may have changed. */
    private readonly onReviewed: () => Promise<void>,
  ) {}

  /** Signs off (or, with `withdraw`, withdraws the sign-off of) the segmentation shown. */
  async signOffShown(withdraw = false): Promise<void> {
    const shown = this.pair.shown;
    const scanId = this.scanId();
    if (!shown || scanId === null) return;
    this.error = null;
    this.busy = true;
    try {
      this.pair.updateView(await api.invoke('segment.signOff', { segmentationId: shown.view.segmentationId, ...(withdraw ? { withdraw } : {}) }));
      await Promise.all([this.pair.reloadHistory(scanId), this.onReviewed()]);
    } catch (e) {
      this.error = describeError(e);
    } finally {
      this.busy = false;
    }
  }

  async exportReport(format: 'pdf' | 'png'): Promise<void> {
    const scanId = this.scanId();
    if (scanId === null) return;
    this.error = null;
    try {
      this.exported = (await api.invoke('reports.exportScan', { scanId, format })).path;
    } catch (e) {
      this.error = describeError(e);
    }
  }
}
