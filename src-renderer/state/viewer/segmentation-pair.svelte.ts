import type { SegmentationView } from '../../../src-shared/contract/channels/segment';
import type { SegmentationSummary } from '../../../src-shared/domain/segmentation';
import { api } from '../../api/client';
import { describeError } from '../../api/messages';
import { decodeLabelMapPng, type LabelMap } from '../../lib/overlay';

/** A stored segmentation with its label map decoded once (kept out of deep reactive state). */
export interface LoadedSegmentation {
  view: SegmentationView;
  map: LabelMap;
}

export type CompareView = 'model' | 'manual' | 'difference';

/**
 * The segmentations of the open scan, as data: the model's and the manual one (imported ground truth or a
 * clinician's correction), which of them is shown, and what the readouts and profiles describe.
 */
export class SegmentationPair {
  model = $state.raw<LoadedSegmentation | null>(null);
  manual = $state.raw<LoadedSegmentation | null>(null);
  compare = $state<CompareView>('model');
  /** Why the stored segmentations could not be read; never shown as "not segmented". */
  loadError = $state<string | null>(null);

  readonly manualIsCorrection = $derived(Boolean(this.manual?.view.summary?.correction));
  /** The map the overlay shows outside the difference view. */
  readonly shownMap = $derived(this.compare === 'manual' && this.manual ? this.manual.map : (this.model?.map ?? null));
  /** What the readouts and profiles describe: the manual map when it is the one shown (and analysed), else the model's. */
  readonly displayed = $derived.by((): { summary: SegmentationSummary; map: LabelMap } | null => {
    const manualSummary = this.manual?.view.summary;
    if (this.compare === 'manual' && this.manual && manualSummary) return { summary: manualSummary, map: this.manual.map };
    const modelSummary = this.model?.view.summary;
    return this.model && modelSummary ? { summary: modelSummary, map: this.model.map } : null;
  });
  /** Changes whenever either stored segmentation does (the visit table re-reads then). */
  readonly version = $derived((this.model?.view.segmentationId ?? 0) + (this.manual?.view.segmentationId ?? 0));

  clear(): void {
    this.model = null;
    this.manual = null;
    this.loadError = null;
  }

  /** Reads both stored segmentations of `scanId`; `stillWanted` drops the answer when another scan was opened meanwhile. */
  async load(scanId: number, stillWanted: () => boolean): Promise<void> {
    const [model, manual] = await Promise.allSettled([loadStored(scanId, 'model'), loadStored(scanId, 'manual')]);
    if (!stillWanted()) return;
    this.model = model.status === 'fulfilled' ? model.value : null;
    this.manual = manual.status === 'fulfilled' ? manual.value : null;
    const failed = [model, manual].find((r) => r.status === 'rejected');
    this.loadError = failed ? `The stored segmentation could not be read: ${describeError(failed.reason)}` : null;
    if (!this.manual) this.compare = 'model';
  }

  /** The model segmentation's view after a review changed it (the label map stays). */
  updateModelView(view: SegmentationView): void {
    if (this.model && this.model.view.segmentationId === view.segmentationId) this.model = { ...this.model, view };
  }
}

async function loadStored(scanId: number, kind: 'model' | 'manual'): Promise<LoadedSegmentation | null> {
  const view = await api.invoke('segment.get', { scanId, kind });
  return view ? { view, map: await decodeLabelMapPng(view.labelMapPngBase64) } : null;
}
