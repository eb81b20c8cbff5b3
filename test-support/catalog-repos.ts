/**
 * The catalog repositories over one open database, wired as the app wires them (every segmentation write
 * re-derives the scan's review state), and a bare scan row to hang segmentations on: what repository-level
 * tests of segmentations and review state stand on. For whole services, see temp-catalog.ts.
 */
import type Database from 'better-sqlite3';
import { AuditLog } from '../src-main/services/catalog/audit';
import { syncReviewState } from '../src-main/services/catalog/review-state';
import { ScansRepo } from '../src-main/services/catalog/scans';
import { SegmentationsRepo } from '../src-main/services/catalog/segmentations';

export function reviewedRepos(db: Database.Database): { scans: ScansRepo; segmentations: SegmentationsRepo } {
  const scans = new ScansRepo(db);
  const segmentations: SegmentationsRepo = new SegmentationsRepo(db, new AuditLog(db), (id) => syncReviewState({ scans, segmentations }, id));
  return { scans, segmentations };
}

/** A 512x496 PNG scan row with id `id` (no image file behind it: repository tests read rows only). */
export function insertBareScan(db: Database.Database, id: number): void {
  db.prepare(
    `INSERT INTO scans (id, width, height, original_path, sha256, stored_file, mime, bytes, imported_at) VALUES (?, 512, 496, ?, ?, 'x', 'image/png', 1, '2026-01-01T00:00:00Z')`,
  ).run(id, `/s/${id}.png`, String(id).padStart(64, '0'));
}
