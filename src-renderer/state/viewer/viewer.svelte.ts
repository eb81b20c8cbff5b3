import { AppError } from '../../../src-shared/contract';
import type { ScanRecord } from '../../../src-shared/domain/catalog';
import { api } from '../../api/client';
import { describeError } from '../../api/messages';
import { greyLevels } from '../../lib/boundary-highlight';
import { differenceShare } from '../../lib/overlay';
import { catalog, scanImageUrl } from '../catalog.svelte';
import { trackJob } from '../jobs.svelte';
import { BoundaryEditSession } from './edit-session.svelte';
import { OverlayDisplay } from './overlay-display.svelte';
import { ProfileCursor } from './profile-cursor.svelte';
import { ReviewState } from './review.svelte';
import { SegmentationPair } from './segmentation-pair.svelte';
import { SeriesState } from './series.svelte';
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
  /** The grey levels of the image last read for the correction checks. */
  #greyOf: { image: HTMLImageElement; grey: Uint8Array } | null = null;

  readonly viewport = new Viewport();
  readonly overlay = new OverlayDisplay();
  readonly segmentations = new SegmentationPair();
  /** The scan as a series of B-scans: which one is shown, the localizer, the device's lines. */
  readonly series = new SeriesState();
  readonly profile = new ProfileCursor(() => this.hover?.x ?? null);
  readonly review = new ReviewState(this.segmentations, () => this.scanId, () => this.#refreshRecord());
  /** What re-segmenting asks first (the scan has a correction or a sign-off); null when no question is open. */
  resegmentQuestion = $state<string | null>(null);
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
    this.resegmentQuestion = null;
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
      this.segmentations.bscanIndex = 0;
      // always read: an imported annotation is shown even on a scan not segmented yet
      void this.segmentations.load(id, () => seq === this.#opening, true);
      const wanted = () => seq === this.#opening;
      void this.series.load(id, wanted).then(() => this.series.loadDeviceLines(id, wanted), () => undefined);
      this.loading = false;
    } catch (e) {
      if (seq === this.#opening) {
        this.error = describeError(e);
        this.loading = false;
      }
    }
  }

  /** After the scan's details were edited (catalog.updateScans): its record, and its summaries recomputed for them. */
  async reloadDetails(): Promise<void> {
    const scanId = this.scanId;
    if (scanId === null) return;
    const record = await api.invoke('catalog.getScan', { scanId });
    if (scanId !== this.scanId) return;
    this.scan = record;
    await this.segmentations.load(scanId, () => this.scanId === scanId);
  }

  /**
   * Shows B-scan `index` of the open series (clamped): its image, its segmentations and device lines.
   * Not while a correction has unsaved strokes (they belong to the B-scan on screen).
   */
  async showBscan(index: number): Promise<void> {
    const scanId = this.scanId;
    if (scanId === null || this.unsavedEdits || !this.series.select(index)) return;
    const seq = ++this.#opening;
    const wanted = () => seq === this.#opening;
    this.edit = null;
    this.hover = null;
    this.segmentations.bscanIndex = this.series.index;
    try {
      const img = await api.invoke('series.bscanImage', { scanId, index: this.series.index });
      const image = new Image();
      image.src = `data:${img.mime};base64,${img.base64}`;
      await image.decode();
      if (!wanted()) return;
      this.bitmap = image;
      this.segmentations.clear();
      await Promise.all([this.segmentations.load(scanId, wanted, true), this.series.loadDeviceLines(scanId, wanted)]);
    } catch (e) {
      if (wanted()) this.error = describeError(e);
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

  /**
   * Segments the open scan. One with a correction or a sign-off asks first (domain/review.ts
   * resegmentQuestion): `force` once the person confirmed. Main asks too, should the history be stale.
   */
  async segment(force = false): Promise<void> {
    const scanId = this.scanId;
    if (scanId === null) return;
    const question = this.segmentations.history?.resegmentQuestion ?? null;
    if (!force && question) {
      this.resegmentQuestion = question;
      return;
    }
    this.resegmentQuestion = null;
    let asked = false;
    await this.segmentJob.start(async () => {
      try {
        return await api.invoke('segment.scan', force ? { scanId, force } : { scanId });
      } catch (e) {
        if (e instanceof AppError && e.code === 'CONFIRMATION_REQUIRED') {
          asked = true;
          this.resegmentQuestion = e.message;
        }
        throw e;
      }
    });
    if (asked) this.segmentJob.startError = null; // the question is shown instead of an error
  }

  cancelResegment(): void {
    this.resegmentQuestion = null;
  }

  startEditing(): void {
    const { model, manual, compare, manualIsCorrection } = this.segmentations;
    if (!model) return;
    // A correction continues from the shown correction, else starts from the model's map.
    const from = compare === 'manual' && manual && manualIsCorrection ? manual.map : model.map;
    const axialUmPerPx = model.view.summary?.scale.axialUmPerPx ?? null;
    this.edit = new BoundaryEditSession(from, model.map, model.view.segmentationId, { image: this.#grey(), axialUmPerPx });
  }

  /** The B-scan's grey levels for the correction checks, read once per image; null when it cannot be read. */
  #grey(): Uint8Array | null {
    const image = this.bitmap;
    if (!image) return null;
    if (this.#greyOf?.image !== image) {
      try {
        this.#greyOf = { image, grey: greyLevels(image) };
      } catch {
        return null; // no 2D canvas: the checks that need the image are skipped
      }
    }
    return this.#greyOf.grey;
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
      this.scan = await api.invoke('catalog.getScan', { scanId }); // the catalog list follows through catalog.changed
    } catch (e) {
      session.error = describeError(e);
    } finally {
      session.saving = false;
    }
  }

  async #refreshAfterSegmenting(scanId: number): Promise<void> {
    if (scanId !== this.scanId) return;
    // the view stays as chosen: a correction stays current after re-segmenting
    void this.segmentations.load(scanId, () => this.scanId === scanId);
    await this.#refreshRecord();
  }

  /** Re-reads the open scan's record (its review state follows every segmentation change). */
  async #refreshRecord(): Promise<void> {
    const scanId = this.scanId;
    if (scanId === null) return;
    try {
      const record = await api.invoke('catalog.getScan', { scanId });
      if (scanId === this.scanId) this.scan = record;
    } catch {
      // The scan's header keeps its last record; the segmentation panel reports read failures itself.
    }
  }
}
