import { AppError } from '../../../src-shared/contract';
import type { CatalogStats, ScanFilter, ScanPage, ScanRecord } from '../../../src-shared/domain/catalog';
import { REVIEW_STATES, type ReviewState } from '../../../src-shared/domain/review';
import type { EyeAssessment, EyeSource, Laterality } from '../../../src-shared/domain/laterality';
import type { ScaleProvenance } from '../../../src-shared/domain/segmentation';
import type { CatalogDb } from './database';

/**
 * What the importer hands over: a ScanRecord minus what the catalog itself assigns or joins in. Without
 * an eye source a known eye counts as stated by a manifest or file name ('manifest', confidence 1).
 */
export type NewScan = Omit<ScanRecord, 'id' | 'patientExternalId' | 'patientName' | 'importedAt' | 'deletedAt' | 'reviewState' | 'flagged' | 'flagReasons' | 'eyeSource' | 'eyeConfidence' | 'kind' | 'bscanCount'> &
  Partial<Pick<ScanRecord, 'eyeSource' | 'eyeConfidence'>>;

/** A scan's review state as its current segmentation gives it (SegmentationsRepo.scanReviewState). */
export interface ScanReviewColumns {
  state: ReviewState;
  flagged: boolean;
  /** The flagged segmentation's reasons as stored in its summary (a JSON array), else null. */
  flagReasonsJson: string | null;
}

interface ScanRow {
  id: number;
  patient_id: number | null;
  patient_external_id: string | null;
  patient_name: string | null;
  eye: Laterality;
  eye_source: EyeSource | null;
  eye_confidence: number | null;
  acquired_at: string | null;
  device: string | null;
  protocol: string | null;
  tags: string;
  width: number;
  height: number;
  axial_um: number | null;
  lateral_um: number | null;
  scale_provenance: ScaleProvenance;
  scale_source: string | null;
  original_path: string;
  sha256: string;
  stored_file: string;
  mime: string;
  bytes: number;
  imported_at: string;
  deleted_at: string | null;
  /** The review state key (setReviewState writes it); NULL = not segmented. */
  review_status: Exclude<ReviewState, 'not-segmented'> | null;
  flagged: number;
  flag_reasons: string | null;
  /** Migration 5: the series (catalog/series.ts writes them for a vendor file). */
  kind: ScanRecord['kind'];
  bscan_count: number;
}

const SELECT = `SELECT s.*, p.external_id AS patient_external_id, p.name AS patient_name
  FROM scans s LEFT JOIN patients p ON p.id = s.patient_id`;

const SORT_SQL: Record<NonNullable<ScanFilter['sort']>, string> = {
  // ids are assigned in import order, so import order is id order (and comes straight off every index)
  importedAt: 's.id',
  acquiredAt: 's.acquired_at',
  patient: 'p.external_id',
  id: 's.id',
  // the list view's columns; NULLs sort as SQLite does (first ascending), the id breaks ties
  eye: 's.eye',
  device: 's.device',
  kind: 's.kind',
  reviewState: 's.review_status',
  flagged: 's.flagged',
};

/** Columns often empty, whose blanks belong at the end in either direction (the list view's patient and device). */
const NULLS_LAST = new Set<NonNullable<ScanFilter['sort']>>(['patient', 'device']);

export const MAX_PAGE = 500;
/** Totals above this are reported as a lower bound (`totalExact: false`). */
export const COUNT_CAP = 10_000;

/** Scans: one row per distinct image content (sha256), soft-deleted with `deleted_at`. */
export class ScansRepo {
  constructor(private readonly db: CatalogDb) {}

  insert(scan: NewScan): number {
    const info = this.db
      .prepare(
        `INSERT INTO scans (patient_id, eye, eye_source, eye_confidence, acquired_at, device, protocol, tags, width, height, axial_um, lateral_um,
          scale_provenance, scale_source, original_path, sha256, stored_file, mime, bytes, imported_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        scan.patientId, scan.eye, ...eyeEvidence(scan), scan.acquiredAt, scan.device, scan.protocol, scan.tags.join(','), scan.width, scan.height,
        scan.axialUmPerPx, scan.lateralUmPerPx, scan.scaleProvenance, scan.scaleSource, scan.originalPath, scan.sha256,
        scan.storedFile, scan.mime, scan.bytes, new Date().toISOString(),
      );
    const id = Number(info.lastInsertRowid);
    this.reindexSearchText(id);
    const tag = this.db.prepare('INSERT OR IGNORE INTO scan_tags (scan_id, tag) VALUES (?, ?)');
    for (const t of scan.tags) tag.run(id, t);
    return id;
  }

  /**
   * Writes the free-text search row of a scan (path, tags, device, patient id and name), the one rule for
   * what the text filter finds: at insert, and after an edit of the scan or its patient (scan-edits.ts).
   */
  reindexSearchText(scanId: number): void {
    const row = this.db
      .prepare('SELECT s.original_path, s.tags, s.device, p.external_id, p.name FROM scans s LEFT JOIN patients p ON p.id = s.patient_id WHERE s.id = ?')
      .get(scanId) as { original_path: string; tags: string; device: string | null; external_id: string | null; name: string | null } | undefined;
    if (!row) return;
    const text = [row.original_path, row.tags.split(',').join(' '), row.device, row.external_id, row.name].filter(Boolean).join(' | ');
    this.db.prepare('DELETE FROM scans_fts WHERE rowid = ?').run(scanId);
    this.db.prepare('INSERT INTO scans_fts (rowid, text) VALUES (?, ?)').run(scanId, text);
  }

  /** The scan (deleted or not) holding this content, if any. */
  findByHash(sha256: string): { id: number; deletedAt: string | null } | null {
    const row = this.db.prepare('SELECT id, deleted_at FROM scans WHERE sha256 = ?').get(sha256) as { id: number; deleted_at: string | null } | undefined;
    return row ? { id: row.id, deletedAt: row.deleted_at } : null;
  }

  get(id: number): ScanRecord | null {
    const row = this.db.prepare(`${SELECT} WHERE s.id = ?`).get(id) as ScanRow | undefined;
    return row ? toRecord(row) : null;
  }

  require(id: number): ScanRecord {
    const scan = this.get(id);
    if (!scan) throw new AppError('NOT_FOUND', `No scan with id ${id}`, { scanId: id });
    return scan;
  }

  list(filter: ScanFilter = {}): ScanPage {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.trash) where.push('s.deleted_at IS NOT NULL');
    else if (!filter.includeDeleted) where.push('s.deleted_at IS NULL');
    if (filter.patientId !== undefined) { where.push('s.patient_id = ?'); args.push(filter.patientId); }
    if (filter.patient !== undefined) {
      const patient = this.db.prepare('SELECT id FROM patients WHERE external_id = ?').get(filter.patient) as { id: number } | undefined;
      where.push('s.patient_id = ?');
      args.push(patient?.id ?? -1);
    }
    if (filter.eye !== undefined) { where.push('s.eye = ?'); args.push(filter.eye); }
    // A tag filter: the page walks an ordered index and probes the tag (EXISTS); the count walks the tag's
    // entries and probes the narrow scans_filter index (JOIN). Each is the fast plan for its job.
    let countFrom = 'scans s';
    if (filter.tag !== undefined) {
      where.push('EXISTS (SELECT 1 FROM scan_tags t WHERE t.scan_id = s.id AND t.tag = ?)');
      args.push(filter.tag);
    }
    const from = 'scans s';
    if (filter.dateFrom !== undefined) { where.push('s.acquired_at >= ?'); args.push(filter.dateFrom); }
    if (filter.dateTo !== undefined) {
      where.push('s.acquired_at <= ?');
      // an inclusive date bound covers the whole day
      args.push(/^\d{4}-\d{2}-\d{2}$/.test(filter.dateTo) ? `${filter.dateTo}T23:59:59.999Z` : filter.dateTo);
    }
    if (filter.reviewState !== undefined) {
      if (filter.reviewState === 'not-segmented') where.push('s.review_status IS NULL');
      else { where.push('s.review_status = ?'); args.push(filter.reviewState); }
    }
    if (filter.flagged !== undefined) { where.push('s.flagged = ?'); args.push(filter.flagged ? 1 : 0); }
    if (filter.text !== undefined && filter.text.trim() !== '') {
      // trigram FTS answers LIKE from its index (no ESCAPE clause, so % and _ in the text act as wildcards)
      const like = `%${filter.text.trim()}%`;
      where.push(`s.id IN (SELECT rowid FROM scans_fts WHERE text LIKE ?)`);
      args.push(like);
    }
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    let countWhereSql = whereSql;
    if (filter.tag !== undefined) {
      countFrom = 'scan_tags t JOIN scans s ON s.id = t.scan_id';
      countWhereSql = `WHERE ${where.map((w) => (w.startsWith('EXISTS (SELECT 1 FROM scan_tags') ? 't.tag = ?' : w)).join(' AND ')}`;
    }
    const limit = Math.min(Math.max(1, filter.limit ?? 50), MAX_PAGE);
    const offset = Math.max(0, filter.offset ?? 0);
    const order = filter.order === 'asc' ? 'ASC' : 'DESC';
    const sort = SORT_SQL[filter.sort ?? 'importedAt'];
    // Two steps: the page's ids (a narrow sort), then their rows.
    const joinPatients = filter.sort === 'patient' ? 'LEFT JOIN patients p ON p.id = s.patient_id' : '';
    const ids = (
      this.db
        .prepare(`SELECT s.id FROM ${from} ${joinPatients} ${whereSql} ORDER BY ${sort} ${order}${NULLS_LAST.has(filter.sort ?? 'importedAt') ? ' NULLS LAST' : ''}, s.id ${order} LIMIT ? OFFSET ?`)
        .pluck()
        .all(...args, limit, offset) as number[]
    );
    const byId = new Map(
      ids.length === 0
        ? []
        : (this.db.prepare(`${SELECT} WHERE s.id IN (${ids.map(() => '?').join(',')})`).all(...ids) as ScanRow[]).map((r) => [r.id, r]),
    );
    const rows = ids.map((id) => byId.get(id)).filter((r): r is ScanRow => r !== undefined);
    // Counting is the costly part of a page on a big catalog: stop at COUNT_CAP (the UI says "10,000+").
    const counted = (
      this.db
        .prepare(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM ${countFrom} ${countWhereSql} LIMIT ?)`)
        .get(...args, Math.max(COUNT_CAP, offset + limit) + 1) as { n: number }
    ).n;
    const totalExact = counted <= Math.max(COUNT_CAP, offset + limit);
    return { items: rows.map(toRecord), total: totalExact ? counted : counted - 1, totalExact, offset, limit };
  }

  /** Every scan matching a filter, fetched a page at a time (for exports over a whole selection). */
  *each(filter: ScanFilter = {}, pageSize = 500): Generator<ScanRecord> {
    let offset = 0;
    for (;;) {
      const page = this.list({ ...filter, offset, limit: pageSize, sort: filter.sort ?? 'id', order: filter.order ?? 'asc' });
      yield* page.items;
      offset += page.items.length;
      if (page.items.length === 0 || offset >= page.total) return;
    }
  }

  /** Soft delete: the row and its library file stay until purged, so a delete can be undone. */
  softDelete(id: number): ScanRecord {
    this.require(id);
    this.db.prepare('UPDATE scans SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL').run(new Date().toISOString(), id);
    return this.require(id);
  }

  restore(id: number): ScanRecord {
    this.require(id);
    this.db.prepare('UPDATE scans SET deleted_at = NULL WHERE id = ?').run(id);
    return this.require(id);
  }

  /**
   * Records an eye a detector found after import (the anatomy of a segmentation) on a scan whose eye is
   * still unknown; a stated or earlier found eye is never overwritten. True when the scan took it.
   */
  recordDetectedEye(scanId: number, eye: EyeAssessment): boolean {
    if (eye.value === 'unknown' || eye.source === null) return false;
    const info = this.db
      .prepare(`UPDATE scans SET eye = ?, eye_source = ?, eye_confidence = ? WHERE id = ? AND eye = 'unknown'`)
      .run(eye.value, eye.source, eye.confidence, scanId);
    return info.changes > 0;
  }

  /** Writes the review columns the catalog filters read (state, flag, its reasons); the catalog service keeps them in step with the scan's segmentations. */
  setReviewState(scanId: number, review: ScanReviewColumns): void {
    this.db
      .prepare('UPDATE scans SET review_status = ?, flagged = ?, flag_reasons = ? WHERE id = ?')
      .run(review.state === 'not-segmented' ? null : review.state, review.flagged ? 1 : 0, review.flagReasonsJson, scanId);
  }

  /** Every scan's library file, trashed scans included (what the data folder check verifies). */
  storedFiles(): { id: number; storedFile: string }[] {
    return this.db.prepare('SELECT id, stored_file AS storedFile FROM scans ORDER BY id').all() as { id: number; storedFile: string }[];
  }

  count(includeDeleted = false): number {
    const sql = includeDeleted ? 'SELECT COUNT(*) AS n FROM scans' : 'SELECT COUNT(*) AS n FROM scans WHERE deleted_at IS NULL';
    return (this.db.prepare(sql).get() as { n: number }).n;
  }

  stats(): CatalogStats {
    const one = (sql: string) => (this.db.prepare(sql).get() as { n: number }).n;
    const byEye: Record<Laterality, number> = { OD: 0, OS: 0, unknown: 0 };
    for (const r of this.db.prepare('SELECT eye, COUNT(*) AS n FROM scans WHERE deleted_at IS NULL GROUP BY eye').all() as { eye: Laterality; n: number }[]) byEye[r.eye] = r.n;
    const byTag: Record<string, number> = {};
    for (const r of this.db
      .prepare('SELECT t.tag, COUNT(*) AS n FROM scan_tags t JOIN scans s ON s.id = t.scan_id WHERE s.deleted_at IS NULL GROUP BY t.tag ORDER BY t.tag')
      .all() as { tag: string; n: number }[]) byTag[r.tag] = r.n;
    const byReviewState = Object.fromEntries(REVIEW_STATES.map((k) => [k, 0])) as CatalogStats['byReviewState'];
    for (const r of this.db
      .prepare('SELECT review_status AS s, COUNT(*) AS n FROM scans WHERE deleted_at IS NULL GROUP BY review_status')
      .all() as { s: ScanRow['review_status']; n: number }[]) byReviewState[r.s ?? 'not-segmented'] = r.n;
    return {
      scans: one('SELECT COUNT(*) AS n FROM scans WHERE deleted_at IS NULL'),
      deletedScans: one('SELECT COUNT(*) AS n FROM scans WHERE deleted_at IS NOT NULL'),
      patients: one('SELECT COUNT(*) AS n FROM patients'),
      segmentations: one('SELECT COUNT(*) AS n FROM segmentations'),
      byEye,
      byTag,
      byReviewState,
    };
  }
}

/** The eye_source and eye_confidence columns of a new scan: null while the eye is unknown. */
function eyeEvidence(scan: NewScan): [EyeSource | null, number | null] {
  if (scan.eye === 'unknown') return [null, null];
  return [scan.eyeSource ?? 'manifest', scan.eyeConfidence ?? 1];
}

function toRecord(r: ScanRow): ScanRecord {
  return {
    id: r.id,
    patientId: r.patient_id,
    patientExternalId: r.patient_external_id,
    patientName: r.patient_name,
    eye: r.eye,
    eyeSource: r.eye === 'unknown' ? null : (r.eye_source ?? 'manifest'),
    eyeConfidence: r.eye === 'unknown' ? null : (r.eye_confidence ?? 1),
    acquiredAt: r.acquired_at,
    device: r.device,
    protocol: r.protocol,
    tags: r.tags ? r.tags.split(',') : [],
    width: r.width,
    height: r.height,
    axialUmPerPx: r.axial_um,
    lateralUmPerPx: r.lateral_um,
    scaleProvenance: r.scale_provenance,
    scaleSource: r.scale_source,
    originalPath: r.original_path,
    sha256: r.sha256,
    storedFile: r.stored_file,
    mime: r.mime,
    bytes: r.bytes,
    importedAt: r.imported_at,
    deletedAt: r.deleted_at,
    reviewState: r.review_status ?? 'not-segmented',
    flagged: r.flagged === 1,
    kind: r.kind,
    bscanCount: r.bscan_count,
    flagReasons: reasonsOf(r.flag_reasons),
  };
}

/** The stored reasons (a JSON array of text); [] when none or unreadable. */
function reasonsOf(json: string | null): string[] {
  if (!json) return [];
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
