import type { ScanRecord } from '../../../src-shared/domain/catalog';
import { api } from '../../api/client';
import { describeError } from '../../api/messages';
import { differenceShare } from '../../lib/overlay';
import { catalog, scanImageUrl } from '../catalog.svelte';
import { trackJob } from '../jobs.svelte';
import { BoundaryEditSession } from './edit-session.svelte';
import { OverlayDisplay } from './overlay-display.svelte';
import { ProfileCursor } from './profile-cursor.svelte';
import { ReviewState } from './review.svelte';
import { SegmentationPair } from './segmentation-pair.svelte';
import { Viewport } from './viewport.svelte';

/**
 * The scan viewer's state as data, apart from how it is displayed: the open scan, how it sits in the
 * viewport, how the overlay is drawn, the segmentation pair, the correction in progress, the profile
 * cursor, the review and the segmentation job. The components under components/viewer/ only render it.
 */
export class ViewerState {
  scanId = $state<number | null>(null);
  scan = $state.raw<ScanRecord | null>(null);
  /** The decoded B-scan. */
  bitmap = $state.raw<HTMLImageElement | null>(null);
  loading = $state(true);
  error = $state<string | null>(null);
  /** The image pixel under the pointer. */
  hover = $state<{ x: number; y: number } | null>(null);
  /** The boundary correction in progress, if any. */
  edit = $state.raw<BoundaryEditSession | null>(null);
  sheetOpen = $state(false);
  /** Counts `open` calls: an answer for a scan opened before the latest one is dropped. */
  #opening = 0;

  readonly viewport = new Viewport();
  readonly overlay = new OverlayDisplay();
  readonly segmentations = new SegmentationPair();
  readonly profile = new ProfileCursor(() => this.hover?.x ?? null);
  readonly review = new ReviewState(this.segmentations, () => this.scanId, () => {
    if (this.scan) this.scan = { ...this.scan, reviewStatus: 'reviewed' };
  });
  readonly segmentJob = trackJob('segment', {
    failedMessage: 'Segmentation failed.',
    onEnd: (job) => {
      if (job.state === 'done' && job.result) void this.#refreshAfterSegmenting(job.result.scanId);
    },
  });

  /** Share of labelled pixels where model and manual disagree, while the difference view is shown. */
  readonly disagreement = $derived.by(() => {
    const { model, manual, compare } = this.segmentations;
    return compare === 'difference' && model && manual ? differenceShare(model.map, manual.map, this.overlay.visible) : null;
  });
  /** The map under the pointer: the one being corrected, else the one described. */
  readonly pointedMap = $derived(this.edit?.map ?? this.segmentations.displayed?.map ?? null);
  /** Strokes not saved yet: leaving the scan is blocked until Save or Cancel. */
  readonly unsavedEdits = $derived(this.edit?.canUndo ?? false);

  /** Shows scan `id`: its record and image, then its stored segmentations. Viewport and overlay settings stay. */
  async open(id: number): Promise<void> {
    const seq = ++this.#opening;
    this.scanId = id;
    this.loading = true;
    this.error = null;
    this.hover = null;
    this.segmentJob.reset();
    this.edit = null;
    try {
      const [record, url] = await Promise.all([api.invoke('catalog.getScan', { scanId: id }), scanImageUrl(id)]);
      const img = new Image();
      img.src = url;
      await img.decode();
      if (seq !== this.#opening) return;
      this.scan = record;
      this.bitmap = img;
      this.viewport.imageWidth = img.naturalWidth;
      this.viewport.imageHeight = img.naturalHeight;
      this.segmentations.clear();
      if (record.reviewStatus) void this.segmentations.load(id, () => seq === this.#opening);
      this.loading = false;
    } catch (e) {
      if (seq === this.#opening) {
        this.error = describeError(e);
        this.loading = false;
      }
    }
  }

  /** Back to the catalog. */
  close(): void {
    catalog.openScanId = null;
  }

  /** Opens the scan after (+1) or before (-1) this one in the catalog's current list. */
  async showNeighbour(delta: 1 | -1): Promise<void> {
    if (this.scanId === null) return;
    const next = await catalog.neighbour(this.scanId, delta);
    if (next !== null) catalog.openScanId = next;
  }

  async segment(): Promise<void> {
    const scanId = this.scanId;
    if (scanId !== null) await this.segmentJob.start(() => api.invoke('segment.scan', { scanId }));
  }

  startEditing(): void {
    const { model, manual, compare, manualIsCorrection } = this.segmentations;
    if (!model) return;
    // A correction continues from the shown correction, else starts from the model's map.
    const from = compare === 'manual' && manual && manualIsCorrection ? manual.map : model.map;
    this.edit = new BoundaryEditSession(from, model.map, model.view.segmentationId);
  }

  stopEditing(): void {
    this.edit = null;
  }

  async saveCorrection(): Promise<void> {
    const session = this.edit;
    const scanId = this.scanId;
    if (!session || scanId === null) return;
    session.saving = true;
    session.error = null;
    try {
      await api.invoke('segment.saveCorrection', { scanId, baseSegmentationId: session.baseSegmentationId, labelsBase64: session.labelsBase64() });
      this.edit = null;
      await this.segmentations.load(scanId, () => this.scanId === scanId);
      this.segmentations.compare = 'manual';
      this.scan = await api.invoke('catalog.getScan', { scanId });
      void catalog.refresh();
    } catch (e) {
      session.error = describeError(e);
    } finally {
      session.saving = false;
    }
  }

  async #refreshAfterSegmenting(scanId: number): Promise<void> {
    if (scanId !== this.scanId) return;
    void this.segmentations.load(scanId, () => this.scanId === scanId);
    void catalog.refresh();
    try {
      const record = await api.invoke('catalog.getScan', { scanId });
      if (scanId === this.scanId) this.scan = record;
    } catch {
      // The scan's header keeps its last record; the segmentation panel reports read failures itself.
    }
  }
}
