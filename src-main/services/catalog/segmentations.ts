import { AppError } from '../../../src-shared/contract';
import {
  currentOf,
  keptBecause,
  reviewStateOf,
  segmentationName,
  signOffText,
  type ModelSaveOutcome,
  type SegmentationFacts,
  type SignOff,
} from '../../../src-shared/domain/review';
import type { SegmentationSummary } from '../../../src-shared/domain/segmentation';
import { upgradeSummary } from '../../../src-shared/analysis/segmentation/legacy-summary';
import { needsReview } from '../../../src-shared/analysis/segmentation/quality';
import { currentActor, type AuditLog } from './audit';
import type { CatalogDb } from './database';
import type { ScanReviewColumns } from './scans';

export type SegmentationKind = 'model' | 'manual';

/** What a caller hands to `saveSegmentation`. */
export interface NewSegmentation {
  scanId: number;
  /** 'model' for engine output, 'manual' for a clinician's correction (summary.correction set) or an imported annotation. */
  kind: SegmentationKind;
  /** The model that produced it (required for kind 'model'; optional for 'manual', e.g. the model it corrected). */
  model?: { id: string; version: string } | null;
  /** The label map as a lossless 8-bit grey PNG, one canonical class index (0..8) per pixel. */
  labelMapPng: Buffer | Uint8Array;
  /** Per-layer summary; null when not computed (e.g. a manual mask before analysis). */
  summary: SegmentationSummary | null;
  /** Recorded in the audit log; defaults to the OS user. */
  actor?: string;
  /** Which B-scan of the scan's series it segments (migration 5); 0, the only one of a plain image, by default. */
  bscanIndex?: number;
}

/** A stored segmentation, label map included, with the facts the review rules read (domain/review.ts). */
export interface StoredSegmentation extends SegmentationFacts {
  scanId: number;
  bscanIndex: number;
  labelMapPng: Buffer;
  summary: SegmentationSummary | null;
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
  likely_failure: number;
  signed_off_by: string | null;
  signed_off_at: string | null;
  bscan_index: number;
}

/** The facts of a row without its label map or summary (SELECT FACTS_SQL ...). */
interface FactsRow {
  id: number;
  kind: SegmentationKind;
  model_id: string | null;
  model_version: string | null;
  created_at: string;
  likely_failure: number;
  signed_off_by: string | null;
  signed_off_at: string | null;
  is_correction: number;
  corrected_by: unknown;
}

/**
 * Only a manual row can be a correction (model output never carries `correction`), so a model row's
 * summary is never parsed: each B-scan saved in a series reads the facts of all the scan's rows, and
 * parsing every summary there made a 145-B-scan volume's saves quadratic (~2 s of the main thread).
 */
const FACTS_SQL = `SELECT id, kind, model_id, model_version, created_at, likely_failure, signed_off_by, signed_off_at,
  CASE WHEN kind <> 'manual' THEN 0 WHEN json_valid(summary_json) THEN json_type(summary_json, '$.correction') IS NOT NULL ELSE 0 END AS is_correction,
  CASE WHEN kind <> 'manual' THEN NULL WHEN json_valid(summary_json) THEN json_extract(summary_json, '$.correction.correctedBy') END AS corrected_by
  FROM segmentations`;

export type { ModelSaveOutcome };

/**
 * Segmentations of scans (model output and manual masks), append-only: a new model version's run or a
 * correction is a new row. Which one is current, and the scan's review state, follow the rules of
 * domain/review.ts. Every write records the audit log and, in the same transaction, tells `scanChanged`
 * which scan's segmentations changed: the catalog service then writes that scan's review columns
 * (state, flag, reasons: what the catalog filters read) through ScansRepo.setReviewState.
 *
 * Used by the segmentation engine (services/segmentation) and the conversion/annotation importers
 * (services/conversion):
 *   const { id } = s.segmentations.saveModelSegmentation({ scanId, kind: 'model', model: { id, version }, labelMapPng, summary });
 *   const current = s.segmentations.currentSegmentation(scanId);
 *   s.segmentations.signOff(current.id, 'dr.lee');
 */
export class SegmentationsRepo {
  constructor(
    private readonly db: CatalogDb,
    private readonly audit: AuditLog,
    /** Called inside each write's transaction (the container: CatalogService.syncReviewState). */
    private readonly scanChanged: (scanId: number) => void,
  ) {}

  /** Stores a segmentation; returns its id (for kind 'model', see saveModelSegmentation). NOT_FOUND when the scan does not exist. */
  saveSegmentation(input: NewSegmentation): number {
    if (input.kind === 'model') return this.saveModelSegmentation(input).id;
    return this.insert(input);
  }

  /**
   * Stores a model's output idempotently per scan + model id + version, so re-running a killed or
   * repeated `segment` never piles up copies of one result, and never loses clinical evidence
   * (domain/review.ts keptBecause): no output of that version yet: a new row ('added'); plain output
   * (not signed off, not the base of a correction, not cited by a report): overwritten in place, keeping its
   * id ('replaced'); otherwise left untouched and its id returned ('kept').
   */
  saveModelSegmentation(input: NewSegmentation): { id: number; outcome: ModelSaveOutcome } {
    if (input.kind !== 'model' || !input.model) throw new AppError('VALIDATION', 'A model segmentation needs its model id and version.');
    const model = input.model;
    return this.db.transaction(() => {
      const row = this.db
        .prepare(
          `SELECT s.id, s.signed_off_at IS NOT NULL AS signed_off,
             EXISTS (SELECT 1 FROM reports r WHERE r.segmentation_id = s.id) AS reported,
             EXISTS (SELECT 1 FROM segmentations c WHERE c.scan_id = s.scan_id AND c.kind = 'manual' AND json_valid(c.summary_json)
                     AND json_extract(c.summary_json, '$.correction.baseSegmentationId') = s.id) AS corrected_from
           FROM segmentations s WHERE s.scan_id = ? AND s.bscan_index = ? AND s.kind = 'model' AND s.model_id = ? AND s.model_version = ?
           ORDER BY signed_off DESC, s.id DESC LIMIT 1`,
        )
        .get(input.scanId, input.bscanIndex ?? 0, model.id, model.version) as { id: number; signed_off: number; reported: number; corrected_from: number } | undefined;
      if (!row) return { id: this.insert(input), outcome: 'added' as const };
      const kept = keptBecause({ signedOff: row.signed_off === 1, correctedFrom: row.corrected_from === 1, reported: row.reported === 1 });
      const actor = input.actor ?? currentActor();
      if (kept) {
        this.audit.record(actor, 'segment', input.scanId, { segmentationId: row.id, kind: 'model', model, kept });
        return { id: row.id, outcome: 'kept' as const };
      }
      this.replaceInPlace(row.id, input);
      this.audit.record(actor, 'segment', input.scanId, { segmentationId: row.id, kind: 'model', model, replaced: true });
      return { id: row.id, outcome: 'replaced' as const };
    })();
  }

  /** Overwrites plain model output with a fresh run of the same model version (it becomes the newest run). */
  private replaceInPlace(id: number, input: NewSegmentation): void {
    this.db
      .prepare('UPDATE segmentations SET created_at = ?, label_map = ?, summary_json = ?, likely_failure = ? WHERE id = ?')
      .run(new Date().toISOString(), Buffer.from(input.labelMapPng), input.summary ? JSON.stringify(input.summary) : null, flagOf(input.summary), id);
    this.refreshScanState(input.scanId);
  }

  private insert(input: NewSegmentation): number {
    const now = new Date().toISOString();
    const actor = input.actor ?? currentActor();
    // legacy mirror (migration 3): 'corrected' for manual rows, 'auto' for model output until signed off
    const legacyStatus = input.kind === 'model' ? 'auto' : 'corrected';
    const likelyFailure = flagOf(input.summary);
    return this.db.transaction(() => {
      const scan = this.db.prepare('SELECT id FROM scans WHERE id = ?').get(input.scanId);
      if (!scan) throw new AppError('NOT_FOUND', `No scan with id ${input.scanId}`, { scanId: input.scanId });
      const info = this.db
        .prepare(
          `INSERT INTO segmentations (scan_id, bscan_index, kind, model_id, model_version, created_at, label_map, summary_json,
             review_status, reviewed_by, reviewed_at, likely_failure) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          input.scanId, input.bscanIndex ?? 0, input.kind, input.model?.id ?? null, input.model?.version ?? null, now, Buffer.from(input.labelMapPng),
          input.summary ? JSON.stringify(input.summary) : null, legacyStatus, null, null, likelyFailure,
        );
      const id = Number(info.lastInsertRowid);
      this.refreshScanState(input.scanId);
      this.audit.record(actor, input.kind === 'model' ? 'segment' : 'correct', input.scanId, { segmentationId: id, kind: input.kind, model: input.model ?? null });
      return id;
    })();
  }

  /** Each write's last step: the scan's review columns follow (see the class comment). */
  private refreshScanState(scanId: number): void {
    this.scanChanged(scanId);
  }

  /** The review columns of a scan as its current segmentation gives them (domain/review.ts). */
  scanReviewState(scanId: number): ScanReviewColumns {
    const current = currentOf(this.facts(scanId));
    // the flagged segmentation's reasons ride along for cards and lists (scans.flag_reasons)
    const flagReasonsJson = current?.flagged
      ? ((this.db.prepare("SELECT CASE WHEN json_valid(summary_json) THEN json_extract(summary_json, '$.flags.reasons') END FROM segmentations WHERE id = ?").pluck().get(current.id) as string | null) ?? null)
      : null;
    return { state: reviewStateOf(current), flagged: current?.flagged ?? false, flagReasonsJson };
  }

  /**
   * What the review rules need to know of every segmentation of a scan, oldest first (no label maps): of
   * one B-scan, or (bscanIndex omitted) of all of them, which is what the scan's review state follows.
   */
  facts(scanId: number, bscanIndex?: number): SegmentationFacts[] {
    const rows = bscanIndex === undefined
      ? this.db.prepare(`${FACTS_SQL} WHERE scan_id = ? ORDER BY id`).all(scanId)
      : this.db.prepare(`${FACTS_SQL} WHERE scan_id = ? AND bscan_index = ? ORDER BY id`).all(scanId, bscanIndex);
    return (rows as FactsRow[]).map(factsOf);
  }

  /** A B-scan's current segmentation (domain/review.ts currentOf; B-scan 0, a plain image's only one, by default); null when none. */
  currentSegmentation(scanId: number, bscanIndex = 0): StoredSegmentation | null {
    const current = currentOf(this.facts(scanId, bscanIndex));
    return current ? this.get(current.id) : null;
  }

  /** The newest segmentation of a B-scan (default 0), of one kind or (kind omitted) of any kind; null when none. */
  latestSegmentation(scanId: number, kind?: SegmentationKind, bscanIndex = 0): StoredSegmentation | null {
    const row = (
      kind === undefined
        ? this.db.prepare('SELECT * FROM segmentations WHERE scan_id = ? AND bscan_index = ? ORDER BY created_at DESC, id DESC LIMIT 1').get(scanId, bscanIndex)
        : this.db.prepare('SELECT * FROM segmentations WHERE scan_id = ? AND bscan_index = ? AND kind = ? ORDER BY created_at DESC, id DESC LIMIT 1').get(scanId, bscanIndex, kind)
    ) as SegRow | undefined;
    return row ? toStored(row) : null;
  }

  /** The B-scans of a scan that hold output of this model version: what resuming a series' segmentation skips. */
  bscansSegmentedBy(scanId: number, model: { id: string; version: string }): Set<number> {
    const rows = this.db
      .prepare("SELECT DISTINCT bscan_index FROM segmentations WHERE scan_id = ? AND kind = 'model' AND model_id = ? AND model_version = ?")
      .pluck()
      .all(scanId, model.id, model.version) as number[];
    return new Set(rows);
  }

  /** How many segmentations a scan has and its newest row's id: what caches of a scan's analysis key on. */
  revisionOf(scanId: number): { count: number; lastId: number | null } {
    return this.db.prepare('SELECT COUNT(*) AS count, MAX(id) AS lastId FROM segmentations WHERE scan_id = ?').get(scanId) as { count: number; lastId: number | null };
  }

  get(id: number): StoredSegmentation | null {
    const row = this.db.prepare('SELECT * FROM segmentations WHERE id = ?').get(id) as SegRow | undefined;
    return row ? toStored(row) : null;
  }

  /** Every segmentation of a scan, oldest first, without label maps' decoding (the PNG bytes are included). */
  forScan(scanId: number): StoredSegmentation[] {
    return (this.db.prepare('SELECT * FROM segmentations WHERE scan_id = ? ORDER BY id').all(scanId) as SegRow[]).map(toStored);
  }

  /**
   * Signs off one segmentation: who and when are stored on its row (and in the audit log). The scan's state
   * follows when it is the current one. CONFLICT when it is signed off already (withdraw that first).
   */
  signOff(segmentationId: number, by: string = currentActor()): StoredSegmentation {
    return this.db.transaction(() => {
      const seg = this.require(segmentationId);
      if (seg.signOff) {
        throw new AppError('CONFLICT', `Segmentation ${segmentationId} (${segmentationName(seg)}) is signed off already: ${signOffText(seg.signOff)}.`, { segmentationId });
      }
      const at = new Date().toISOString();
      this.db
        .prepare("UPDATE segmentations SET signed_off_by = ?, signed_off_at = ?, review_status = 'reviewed', reviewed_by = ?, reviewed_at = ? WHERE id = ?")
        .run(by, at, by, at, segmentationId);
      this.refreshScanState(seg.scanId);
      this.audit.record(by, 'sign-off', seg.scanId, { segmentationId, segmentation: segmentationName(seg) });
      return this.require(segmentationId);
    })();
  }

  /** Withdraws a segmentation's sign-off (audited with who signed it and when); NOT_FOUND, or CONFLICT when it is not signed off. */
  withdrawSignOff(segmentationId: number, by: string = currentActor()): StoredSegmentation {
    return this.db.transaction(() => {
      const seg = this.require(segmentationId);
      if (!seg.signOff) throw new AppError('CONFLICT', `Segmentation ${segmentationId} (${segmentationName(seg)}) is not signed off.`, { segmentationId });
      this.db
        .prepare('UPDATE segmentations SET signed_off_by = NULL, signed_off_at = NULL, review_status = ?, reviewed_by = NULL, reviewed_at = NULL WHERE id = ?')
        .run(seg.kind === 'model' ? 'auto' : 'corrected', segmentationId);
      this.refreshScanState(seg.scanId);
      this.audit.record(by, 'withdraw-sign-off', seg.scanId, { segmentationId, segmentation: segmentationName(seg), withdrawn: seg.signOff });
      return this.require(segmentationId);
    })();
  }

  /**
   * Replaces a stored segmentation's summary with one recomputed from its own label map (the scan's eye or
   * scale was corrected: catalog/scan-edits.ts); its id, label map, sign-off and history stay, and the
   * scan's flag follows the new summary. Runs inside the caller's transaction.
   */
  replaceSummary(segmentationId: number, summary: SegmentationSummary): void {
    const seg = this.require(segmentationId);
    this.db
      .prepare('UPDATE segmentations SET summary_json = ?, likely_failure = ? WHERE id = ?')
      .run(JSON.stringify(summary), flagOf(summary), segmentationId);
    this.refreshScanState(seg.scanId);
  }

  private require(segmentationId: number): StoredSegmentation {
    const seg = this.get(segmentationId);
    if (!seg) throw new AppError('NOT_FOUND', `No segmentation with id ${segmentationId}`, { segmentationId });
    return seg;
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

/**
 * The stored flag (column likely_failure, named before the quality rules had reasons): 1 when the
 * summary's findings put the scan in the review queue (analysis/segmentation/quality.ts needsReview).
 */
function flagOf(summary: SegmentationSummary | null | undefined): number {
  return summary && needsReview(summary.flags) ? 1 : 0;
}

function signOffOf(by: string | null, at: string | null): SignOff | null {
  return at === null ? null : { by: by ?? 'unknown', at };
}

function factsOf(r: FactsRow): SegmentationFacts {
  return {
    id: r.id,
    kind: r.kind,
    modelId: r.model_id,
    modelVersion: r.model_version,
    createdAt: r.created_at,
    correctedBy: r.is_correction ? (typeof r.corrected_by === 'string' && r.corrected_by ? r.corrected_by : 'unknown') : null,
    signOff: signOffOf(r.signed_off_by, r.signed_off_at),
    flagged: r.likely_failure === 1,
  };
}

function toStored(r: SegRow): StoredSegmentation {
  const summary = r.summary_json ? upgradeSummary(JSON.parse(r.summary_json) as SegmentationSummary) : null;
  return {
    id: r.id,
    scanId: r.scan_id,
    bscanIndex: r.bscan_index ?? 0,
    kind: r.kind,
    modelId: r.model_id,
    modelVersion: r.model_version,
    createdAt: r.created_at,
    labelMapPng: r.label_map,
    summary,
    correctedBy: summary?.correction ? summary.correction.correctedBy || 'unknown' : null,
    signOff: signOffOf(r.signed_off_by, r.signed_off_at),
    flagged: r.likely_failure === 1,
  };
}
