import { api } from '../../api/client';
import { describeError } from '../../api/messages';
import type { SegmentationPair } from './segmentation-pair.svelte';

/** Reviewing the model segmentation of the open scan and exporting its report. */
export class ReviewState {
  /** Path of the last report written. */
  exported = $state<string | null>(null);
  error = $state<string | null>(null);

  constructor(
    private readonly pair: SegmentationPair,
    private readonly scanId: () => number | null,
    /** Tells the viewer the scan's review status changed. */
    private readonly onReviewed: () => void,
  ) {}

  async markReviewed(): Promise<void> {
    const model = this.pair.model;
    if (!model) return;
    this.error = null;
    try {
      this.pair.updateModelView(await api.invoke('segment.review', { segmentationId: model.view.segmentationId, status: 'reviewed' }));
      this.onReviewed();
    } catch (e) {
      this.error = describeError(e);
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
