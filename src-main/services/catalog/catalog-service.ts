/**
 * The catalog's user-facing writes in one place: each runs in its own transaction with its audit rows,
 * and each announces itself once through `changed` — the only emitter of `catalog.changed`, which the
 * renderer's lists refresh on (so no screen re-reads the catalog by hand after a write).
 *
 * Writes that run as jobs live in their own services (import, segmentation, bulk actions); they hold
 * this service and call `changed` once per step they commit.
 */
import type { EventPayload } from '../../../src-shared/contract';
import type { ScanRecord } from '../../../src-shared/domain/catalog';
import type { ScanMetadataChanges, ScanUpdateResult } from '../../../src-shared/domain/scan-metadata';
import type { EventBus } from '../../ipc/event-bus';
import { saveCorrection, type CorrectionRequest } from '../segmentation/corrections';
import { currentActor, type AuditLog } from './audit';
import type { CatalogDb } from './database';
import type { ImportRunsRepo, ImportRunState, ImportRunSummary } from './import-runs';
import { syncReviewState } from './review-state';
import type { ScanEditService } from './scan-edits';
import { ScanFoveaRepo, type StoredFovea } from './scan-fovea';
import type { ScansRepo } from './scans';
import type { SegmentationsRepo, StoredSegmentation } from './segmentations';

/** Why the catalog changed: the `reason` of a `catalog.changed` event. */
export type CatalogChangeReason = 'import' | 'segment' | 'review' | 'edit' | 'delete' | 'restore' | 'purge' | 'tag' | 'fovea';

export type CatalogChange = EventPayload<'catalog.changed'>;

export interface CatalogServiceDeps {
  db: CatalogDb;
  scans: ScansRepo;
  segmentations: SegmentationsRepo;
  audit: AuditLog;
  bus: EventBus;
  scanEdits: ScanEditService;
  importRuns: ImportRunsRepo;
}

export class CatalogService {
  private readonly fovea: ScanFoveaRepo;
  constructor(private readonly d: CatalogServiceDeps) {
    this.fovea = new ScanFoveaRepo(d.db);
  }

  /** A scan's review columns follow its segmentations (review-state.ts); the container hands this to SegmentationsRepo. */
  syncReviewState(scanId: number): void {
    syncReviewState(this.d, scanId);
  }

  /** Announces a committed change of these scans (nothing when none changed). */
  changed(reason: CatalogChangeReason, scanIds: readonly number[]): void {
    if (scanIds.length === 0) return;
    this.d.bus.emit('catalog.changed', { reason, scanIds: [...scanIds] });
  }

  /** Every change announced from now on; returns the unsubscribe. */
  onChange(listener: (change: CatalogChange) => void): () => void {
    return this.d.bus.on('catalog.changed', listener);
  }

  /** An import job's row in import_runs, 'running' until finished; returns its id (the audit rows name it). */
  startImportRun(source: string): number {
    return this.d.importRuns.start(source);
  }

  finishImportRun(runId: number, state: Exclude<ImportRunState, 'running'>, summary: ImportRunSummary): void {
    this.d.importRuns.finish(runId, state, summary);
  }

  /** Moves a scan to the trash (soft delete: restorable), audited. */
  deleteScan(scanId: number, actor = currentActor()): ScanRecord {
    const scan = this.d.db.transaction(() => {
      const deleted = this.d.scans.softDelete(scanId);
      this.d.audit.record(actor, 'delete', scanId, { soft: true });
      return deleted;
    })();
    this.changed('delete', [scanId]);
    return scan;
  }

  restoreScan(scanId: number, actor = currentActor()): ScanRecord {
    const scan = this.d.db.transaction(() => {
      const restored = this.d.scans.restore(scanId);
      this.d.audit.record(actor, 'restore', scanId);
      return restored;
    })();
    this.changed('restore', [scanId]);
    return scan;
  }

  /** Corrects scans' patient, eye, date, device or scale (scan-edits.ts: one transaction, audited). */
  async updateScans(scanIds: number[], changes: ScanMetadataChanges): Promise<ScanUpdateResult> {
    const result = await this.d.scanEdits.update(scanIds, changes);
    if (result.changedScans > 0 || result.recomputedSegmentations > 0) this.changed('edit', result.scanIds);
    return result;
  }

  /** A clinician's boundary correction, stored as a new manual segmentation (segmentation/corrections.ts). */
  async saveCorrection(req: CorrectionRequest): Promise<StoredSegmentation> {
    const seg = await saveCorrection(this.d, req);
    this.changed('review', [seg.scanId]);
    return seg;
  }

  /** A user's placement of the scan's fovea; null when it is found automatically. */
  foveaOf(scanId: number): StoredFovea | null {
    return this.fovea.get(scanId);
  }

  /**
   * Places the scan's fovea (mm on the localizer; the caller checks it lies in the scanned area) or, with
   * null, returns it to automatic; audited with before and after. Returns the stored placement.
   */
  setFovea(scanId: number, fovea: { xMm: number; yMm: number } | null, actor = currentActor()): StoredFovea | null {
    const after = fovea === null ? null : { xMm: fovea.xMm, yMm: fovea.yMm, by: actor, at: new Date().toISOString() };
    this.d.db.transaction(() => {
      const before = this.fovea.get(scanId);
      this.fovea.set(scanId, after);
      const point = (f: StoredFovea | null) => (f === null ? null : { xMm: f.xMm, yMm: f.yMm });
      this.d.audit.record(actor, 'fovea', scanId, { before: point(before), after: point(after) });
    })();
    this.changed('fovea', [scanId]);
    return after;
  }

  /** Signs off one segmentation, or withdraws its sign-off. */
  signOff(segmentationId: number, withdraw = false): StoredSegmentation {
    const seg = withdraw ? this.d.segmentations.withdrawSignOff(segmentationId) : this.d.segmentations.signOff(segmentationId);
    this.changed('review', [seg.scanId]);
    return seg;
  }
}
