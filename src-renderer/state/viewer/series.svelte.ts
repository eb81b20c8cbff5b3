import { deviceDifference, type BoundaryDifference } from '../../../src-shared/analysis/device-difference';
import { localizerExtentMm, nearestBscan, type Mm } from '../../../src-shared/analysis/localizer';
import { describeGeometry, type BscanRecord, type DeviceBoundaryLines, type SeriesRecord } from '../../../src-shared/domain/series';
import { api } from '../../api/client';
import type { LabelMap } from '../../lib/overlay';

/**
 * The open scan as a series of B-scans (issue 16), as data: its record, which B-scan is shown, the
 * localizer image, and the device's boundaries of the shown B-scan with their difference from the
 * segmentation on screen. ViewerState loads the B-scan itself (image, segmentations) when `index` moves.
 */
export class SeriesState {
  record = $state.raw<SeriesRecord | null>(null);
  /** The B-scan shown. */
  index = $state(0);
  /** The localizer as a data URL; null while loading, or when the file has none (the positions are still drawn). */
  localizerUrl = $state<string | null>(null);
  /** The shown B-scan's device boundaries; null when it has none. */
  deviceLines = $state.raw<DeviceBoundaryLines | null>(null);
  /** Device boundaries drawn as lines over the B-scan, beside Stratum's layers. */
  showDevice = $state(true);

  readonly count = $derived(this.record?.bscanCount ?? 1);
  /** More than one B-scan: the localizer pane and B-scan navigation are shown. */
  readonly isMulti = $derived(this.count > 1);
  /** Has a localizer or B-scan positions to draw. */
  readonly hasLocalizer = $derived(this.record !== null && (this.record.localizer !== null || this.record.bscans.some((b) => b.geometry !== null)));
  readonly current = $derived<BscanRecord | null>(this.record?.bscans[this.index] ?? null);
  readonly position = $derived(describeGeometry(this.current?.geometry ?? null));
  /** The localizer's extent in mm (what its pane maps to its box). */
  readonly extent = $derived(this.record ? localizerExtentMm(this.record.localizer, this.record.bscans) : null);

  /** Reads the series of `scanId` (dropped when `stillWanted` turns false); the viewer starts on B-scan 0. */
  async load(scanId: number, stillWanted: () => boolean): Promise<void> {
    this.record = null;
    this.index = 0;
    this.localizerUrl = null;
    this.deviceLines = null;
    const record = await api.invoke('series.get', { scanId });
    if (!stillWanted()) return;
    this.record = record;
    if (record.localizer?.stored) {
      const img = await api.invoke('series.localizerImage', { scanId });
      if (stillWanted()) this.localizerUrl = `data:${img.mime};base64,${img.base64}`;
    }
  }

  /** Reads the shown B-scan's device lines (none when the series has no device segmentation). */
  async loadDeviceLines(scanId: number, stillWanted: () => boolean): Promise<void> {
    const index = this.index;
    const lines = this.record?.deviceSegmentation ? await api.invoke('series.deviceLines', { scanId, bscanIndex: index }) : null;
    if (stillWanted() && index === this.index) this.deviceLines = lines;
  }

  /** The B-scan `index` clamped to the series; returns whether it moved. */
  select(index: number): boolean {
    const next = Math.max(0, Math.min(this.count - 1, Math.round(index)));
    if (next === this.index) return false;
    this.index = next;
    this.deviceLines = null;
    return true;
  }

  step(delta: number): boolean {
    return this.select(this.index + delta);
  }

  /** The B-scan nearest to a point of the localizer (a click on its pane), in mm. */
  nearest(p: Mm): number | null {
    return this.record ? nearestBscan(this.record.bscans, p) : null;
  }

  /** The device's boundaries against a label map on screen, per boundary (empty without device lines). */
  differenceFrom(map: LabelMap | null, axialUmPerPx: number | null): BoundaryDifference[] {
    if (!map || !this.deviceLines || map.width !== this.deviceLines.width) return [];
    return deviceDifference(this.deviceLines.lines, map.labels, map.width, map.height, axialUmPerPx);
  }
}
