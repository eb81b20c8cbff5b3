import type { SegmentationHistory, SegmentationView } from '../../../src-shared/contract/channels/segment';
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
 * The segmentations of the open scan, as data: the newest model output and the newest manual one
 * (imported ground truth or a clinician's correction), every segmentation the scan has (`history`: none
 * is ever discarded), which of them is shown, and what the readouts and profiles describe. A scan opens
 * on its current segmentation (domain/review.ts currentOf, decided in main).
 */
export class SegmentationPair {
  model = $state.raw<LoadedSegmentation | null>(null);
  manual = $state.raw<LoadedSegmentation | null>(null);
  history = $state.raw<SegmentationHistory | null>(null);
  compare = $state<CompareView>('model');
  /** Why the stored segmentations could not be read; never shown as "not segmented". */
  loadError = $state<string | null>(null);
  /** Which B-scan of the scan's series `load` reads (the viewer sets it when the B-scan changes). */
  bscanIndex = 0;

  readonly manualIsCorrection = $derived(this.manual?.view.correctedBy != null);
  /** The one segmentation on screen (none in the difference view): what "Sign off" signs. */
  readonly shown = $derived(this.compare === 'manual' ? this.manual : this.compare === 'model' ? this.model : null);
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
    this.history = null;
    this.loadError = null;
  }

  /**
   * Reads the stored segmentations of `scanId`; `stillWanted` drops the answer when another scan was opened
   * meanwhile. `showCurrent` switches the view to the current segmentation (on opening a scan); otherwise
   * the view stays as the person chose it.
   */
  async load(scanId: number, stillWanted: () => boolean, showCurrent = false): Promise<void> {
    const bscanIndex = this.bscanIndex;
    const [model, manual, history] = await Promise.allSettled([
      loadStored(scanId, 'model', bscanIndex), loadStored(scanId, 'manual', bscanIndex), api.invoke('segment.history', { scanId, bscanIndex }),
    ]);
    if (!stillWanted() || bscanIndex !== this.bscanIndex) return;
    this.model = model.status === 'fulfilled' ? model.value : null;
    this.manual = manual.status === 'fulfilled' ? manual.value : null;
    this.history = history.status === 'fulfilled' ? history.value : null;
    const failed = [model, manual, history].find((r) => r.status === 'rejected');
    this.loadError = failed ? `The stored segmentation could not be read: ${describeError(failed.reason)}` : null;
    if (showCurrent) this.compare = this.manual?.view.current ? 'manual' : 'model';
    if (!this.manual) this.compare = 'model';
  }

  /** Re-reads the history alone (after a sign-off: the label maps did not change). */
  async reloadHistory(scanId: number): Promise<void> {
    this.history = await api.invoke('segment.history', { scanId, bscanIndex: this.bscanIndex });
  }

  /** A segmentation's view after a sign-off changed it (the label map stays). */
  updateView(view: SegmentationView): void {
    if (this.model?.view.segmentationId === view.segmentationId) this.model = { ...this.model, view };
    if (this.manual?.view.segmentationId === view.segmentationId) this.manual = { ...this.manual, view };
  }
}

async function loadStored(scanId: number, kind: 'model' | 'manual', bscanIndex: number): Promise<LoadedSegmentation | null> {
  const view = await api.invoke('segment.get', { scanId, kind, bscanIndex });
  return view ? { view, map: await decodeLabelMapPng(view.labelMapPngBase64) } : null;
}
