import { AppError } from '../../../src-shared/contract';
import type { ReviewStatus } from '../../../src-shared/domain/catalog';
import type { SegmentationSummary } from '../../../src-shared/domain/segmentation';
import { upgradeSummary } from '../../../src-shared/analysis/segmentation/legacy-summary';
import { currentActor, type AuditLog } from './audit';
import type { CatalogDb } from './database';

export type SegmentationKind = 'model' | 'manual';

/** What a caller hands to `saveSegmentation`. */
export interface NewSegmentation {
  scanId: number;
  /** 'model' for engine output, 'manual' for a clinician's correction or an imported annotation. */
  kind: SegmentationKind;
  /** The model that produced it (required for kind 'model'; optional for 'manual', e.g. the model it corrected). */
  model?: { id: string; version: string } | null;
  /** The label map as a lossless 8-bit grey PNG, one canonical class index (0..8) per pixel. */
  labelMapPng: Buffer | Uint8Array;
  /** Per-layer summary; null when not computed (e.g. a manual mask before analysis). */
  summary: SegmentationSummary | null;
  /** Defaults to 'auto' for kind 'model' and 'corrected' for kind 'manual'. */
  reviewStatus?: ReviewStatus;
  /** Who reviewed/corrected it (defaults to the OS user for non-'auto' statuses). */
  reviewedBy?: string | null;
  /** Recorded in the audit log; defaults to the OS user. */
  actor?: string;
}

/** A stored segmentation, label map included. */
export interface StoredSegmentation {
  id: number;
  scanId: number;
  kind: SegmentationKind;
  modelId: string | null;
  modelVersion: string | null;
  createdAt: string;
  labelMapPng: Buffer;
  summary: SegmentationSummary | null;
  reviewStatus: ReviewStatus;
  reviewedBy: string | null;
  reviewedAt: string | null;
}

interface SegRow {
  id: number;
  scan_id: number;
  kind: SegmentationKind;
  model_id: string | null;
  model_version: string | null;
  created_at: string;
  label_map: Buffer;
  summary_json: string | null;
  review_status: ReviewStatus;
  reviewed_by: string | null;
  reviewed_at: string | null;
}

/** What storing a model segmentation did (see saveModelSegmentation). */
export type ModelSaveOutcome = 'added' | 'replaced' | 'kept';

/**
 * Segmentations of scans (model output and manual masks), append-only: a new model version's run or a
 * correction is a new row; the latest row of a kind is the current one. A second run of the same model
 * version on the same scan is not a new result (see saveModelSegmentation). Each write also updates the
 * scan's denormalised review status / flag (used by catalog filters) and the audit log, all in one
 * transaction.
 *
 * Used by the segmentation engine (services/segmentation) and the conversion/annotation importers
 * (services/conversion):
 *   const id = s.segmentations.saveSegmentation({ scanId, kind: 'model', model: { id, version }, labelMapPng, summary });
 *   const current = s.segmentations.latestSegmentation(scanId, 'model');
 *   s.segmentations.setReviewStatus(id, 'reviewed', 'dr.lee');
 */
export class SegmentationsRepo {
  constructor(
    private readonly db: CatalogDb,
    private readonly audit: AuditLog,
  ) {}

  /** Stores a segmentation; returns its id (for kind 'model', see saveModelSegmentation). NOT_FOUND when the scan does not exist. */
  saveSegmentation(input: NewSegmentation): number {
    if (input.kind === 'model') return this.saveModelSegmentation(input).id;
    return this.insert(input);
  }

  /**
   * Stores a model's output idempotently per scan + model id + version, so re-running a killed or
   * repeated `segment` never piles up copies of one result:
   * - no output of that model version yet: a new row ('added');
   * - the newest one is plain, unreviewed output (review 'auto', not the base of a correction, not
   *   cited by a report): overwritten in place, keeping its id and its place in the history ('replaced');
   * - otherwise it is clinical evidence (signed off, corrected from, or reported): left untouched and its
   *   id returned ('kept'). The same model version on the same image gives the same result, so nothing is lost.
   */
  saveModelSegmentation(input: NewSegmentation): { id: number; outcome: ModelSaveOutcome } {
    if (input.kind !== 'model' || !input.model) throw new AppError('VALIDATION', 'A model segmentation needs its model id and version.');
    const model = input.model;
    // an output that arrives already reviewed is a new clinical record, never folded into another
    if ((input.reviewStatus ?? 'auto') !== 'auto') return { id: this.insert(input), outcome: 'added' };
    return this.db.transaction(() => {
      const existing = this.db
        .prepare(
          `SELECT s.id, s.review_status,
             EXISTS (SELECT 1 FROM reports r WHERE r.segmentation_id = s.id) AS reported,
             EXISTS (SELECT 1 FROM segmentations c WHERE c.scan_id = s.scan_id AND c.kind = 'manual'
                     AND json_extract(c.summary_json, '$.correction.baseSegmentationId') = s.id) AS corrected_from
           FROM segmentations s WHERE s.scan_id = ? AND s.kind = 'model' AND s.model_id = ? AND s.model_version = ?
           ORDER BY (s.review_status <> 'auto') DESC, s.id DESC LIMIT 1`,
        )
        .get(input.scanId, model.id, model.version) as { id: number; review_status: ReviewStatus; reported: number; corrected_from: number } | undefined;
      if (!existing) return { id: this.insert(input), outcome: 'added' as const };
      const actor = input.actor ?? currentActor();
      if (existing.review_status !== 'auto' || existing.reported || existing.corrected_from) {
        const reason = existing.review_status !== 'auto' ? existing.review_status : existing.reported ? 'reported' : 'corrected from';
        this.audit.record(actor, 'segment', input.scanId, { segmentationId: existing.id, kind: 'model', model, kept: reason });
        return { id: existing.id, outcome: 'kept' as const };
      }
      this.replaceInPlace(existing.id, input);
      this.audit.record(actor, 'segment', input.scanId, { segmentationId: existing.id, kind: 'model', model, reviewStatus: 'auto', replaced: true });
      return { id: existing.id, outcome: 'replaced' as const };
    })();
  }

  /** Overwrites an unreviewed model output with a fresh run of the same model version. */
  private replaceInPlace(id: number, input: NewSegmentation): void {
    const likelyFailure = input.summary?.flags.likelyFailure ? 1 : 0;
    this.db
      .prepare('UPDATE segmentations SET created_at = ?, label_map = ?, summary_json = ?, likely_failure = ? WHERE id = ?')
      .run(new Date().toISOString(), Buffer.from(input.labelMapPng), input.summary ? JSON.stringify(input.summary) : null, likelyFailure, id);
    // the scan's filter columns follow its current (newest) segmentation only
    if (this.latestSegmentation(input.scanId)?.id === id) this.db.prepare('UPDATE scans SET review_status = ?, flagged = ? WHERE id = ?').run('auto', likelyFailure, input.scanId);
  }

  private insert(input: NewSegmentation): number {
    const status: ReviewStatus = input.reviewStatus ?? (input.kind === 'model' ? 'auto' : 'corrected');
    const now = new Date().toISOString();
    const actor = input.actor ?? currentActor();
    const reviewedBy = status === 'auto' ? null : (input.reviewedBy ?? actor);
    const likelyFailure = input.summary?.flags.likelyFailure ? 1 : 0;
    return this.db.transaction(() => {
      const scan = this.db.prepare('SELECT id FROM scans WHERE id = ?').get(input.scanId);
      if (!scan) throw new AppError('NOT_FOUND', `No scan with id ${input.scanId}`, { scanId: input.scanId });
      const info = this.db
        .prepare(
          `INSERT INTO segmentations (scan_id, kind, model_id, model_version, created_at, label_map, summary_json,
             review_status, reviewed_by, reviewed_at, likely_failure) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          input.scanId, input.kind, input.model?.id ?? null, input.model?.version ?? null, now, Buffer.from(input.labelMapPng),
          input.summary ? JSON.stringify(input.summary) : null, status, reviewedBy, status === 'auto' ? null : now, likelyFailure,
        );
      const id = Number(info.lastInsertRowid);
      this.db.prepare('UPDATE scans SET review_status = ?, flagged = ? WHERE id = ?').run(status, likelyFailure, input.scanId);
      this.audit.record(actor, input.kind === 'model' ? 'segment' : 'correct', input.scanId, {
        segmentationId: id,
        kind: input.kind,
        model: input.model ?? null,
        reviewStatus: status,
      });
      return id;
    })();
  }

  /** The newest segmentation of a scan, of one kind or (kind omitted) of any kind; null when none. */
  latestSegmentation(scanId: number, kind?: SegmentationKind): StoredSegmentation | null {
    const row = (
      kind === undefined
        ? this.db.prepare('SELECT * FROM segmentations WHERE scan_id = ? ORDER BY id DESC LIMIT 1').get(scanId)
        : this.db.prepare('SELECT * FROM segmentations WHERE scan_id = ? AND kind = ? ORDER BY id DESC LIMIT 1').get(scanId, kind)
    ) as SegRow | undefined;
    return row ? toStored(row) : null;
  }

  get(id: number): StoredSegmentation | null {
    const row = this.db.prepare('SELECT * FROM segmentations WHERE id = ?').get(id) as SegRow | undefined;
    return row ? toStored(row) : null;
  }

  /** Every segmentation of a scan, oldest first, without label maps' decoding (the PNG bytes are included). */
  forScan(scanId: number): StoredSegmentation[] {
    return (this.db.prepare('SELECT * FROM segmentations WHERE scan_id = ? ORDER BY id').all(scanId) as SegRow[]).map(toStored);
  }

  /** Marks a segmentation reviewed/corrected (or back to auto); updates the scan and the audit log. */
  setReviewStatus(segmentationId: number, status: ReviewStatus, reviewedBy: string = currentActor()): StoredSegmentation {
    return this.db.transaction(() => {
      const seg = this.get(segmentationId);
      if (!seg) throw new AppError('NOT_FOUND', `No segmentation with id ${segmentationId}`, { segmentationId });
      const now = new Date().toISOString();
      this.db
        .prepare('UPDATE segmentations SET review_status = ?, reviewed_by = ?, reviewed_at = ? WHERE id = ?')
        .run(status, status === 'auto' ? null : reviewedBy, status === 'auto' ? null : now, segmentationId);
      const latest = this.latestSegmentation(seg.scanId);
      if (latest?.id === segmentationId) this.db.prepare('UPDATE scans SET review_status = ? WHERE id = ?').run(status, seg.scanId);
      this.audit.record(reviewedBy, 'review', seg.scanId, { segmentationId, reviewStatus: status });
      return this.get(segmentationId) as StoredSegmentation;
    })();
  }

  /** Records a model in the catalog (idempotent). */
  registerModel(model: { id: string; version: string; name: string; trained: boolean; classOrder?: string[]; sha256?: string }): void {
    this.db
      .prepare(
        `INSERT INTO models (id, version, name, trained, class_order, sha256, registered_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id, version) DO UPDATE SET name = excluded.name, trained = excluded.trained,
           class_order = excluded.class_order, sha256 = excluded.sha256`,
      )
      .run(model.id, model.version, model.name, model.trained ? 1 : 0, model.classOrder ? JSON.stringify(model.classOrder) : null, model.sha256 ?? null, new Date().toISOString());
  }
}

function toStored(r: SegRow): StoredSegmentation {
  return {
    id: r.id,
    scanId: r.scan_id,
    kind: r.kind,
    modelId: r.model_id,
    modelVersion: r.model_version,
    createdAt: r.created_at,
    labelMapPng: r.label_map,
    summary: r.summary_json ? upgradeSummary(JSON.parse(r.summary_json) as SegmentationSummary) : null,
    reviewStatus: r.review_status,
    reviewedBy: r.reviewed_by,
    reviewedAt: r.reviewed_at,
  };
}
