import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reviewedRepos } from '../../../test-support/catalog-repos';
import { migrate } from './database';
import { MIGRATIONS } from './migrations';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stratum-review-migration-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A catalog as the previous release wrote it (schema 2, review_status auto/reviewed/corrected per row). */
function schema2Catalog(): Database.Database {
  const db = new Database(join(dir, 'catalog.sqlite'));
  for (const sql of MIGRATIONS.slice(0, 2)) db.exec(sql);
  db.pragma('user_version = 2');
  const scan = db.prepare(
    `INSERT INTO scans (id, width, height, original_path, sha256, stored_file, mime, bytes, imported_at, review_status, flagged)
     VALUES (?, 750, 500, ?, ?, 'x', 'image/jpeg', 1, '2026-01-01T00:00:00Z', ?, ?)`,
  );
  const seg = db.prepare(
    `INSERT INTO segmentations (scan_id, kind, model_id, model_version, created_at, label_map, summary_json, review_status, reviewed_by, reviewed_at, likely_failure)
     VALUES (?, ?, 'm', '1', ?, x'00', ?, ?, ?, ?, ?)`,
  );
  const correctionSummary = JSON.stringify({ correction: { baseSegmentationId: 0, changedShare: 0.01, changedPixels: 10, correctedBy: 'dr.jones' } });
  // 1: flagged model output; 2: signed-off model output; 3: a correction, then a later model re-run that was
  // the "latest" row under the old rule; 4: only an imported annotation; 5: never segmented; 6: a broken summary row
  const rows: [number, string, number][] = [[1, 'auto', 1], [2, 'reviewed', 0], [3, 'auto', 0], [4, 'corrected', 0], [5, '', 0], [6, 'auto', 0]];
  for (const [id, status, flagged] of rows) scan.run(id, `/s/${id}.jpeg`, String(id).padStart(64, '0'), status || null, flagged);
  seg.run(1, 'model', '2026-01-02T00:00:00Z', null, 'auto', null, null, 1);
  seg.run(2, 'model', '2026-01-02T00:00:00Z', null, 'reviewed', 'dr.smith', '2026-01-03T00:00:00Z', 0);
  seg.run(3, 'model', '2026-01-02T00:00:00Z', null, 'auto', null, null, 0);
  seg.run(3, 'manual', '2026-01-03T00:00:00Z', correctionSummary, 'corrected', 'dr.jones', '2026-01-03T00:00:00Z', 0);
  seg.run(3, 'model', '2026-01-04T00:00:00Z', null, 'auto', null, null, 0);
  seg.run(4, 'manual', '2026-01-02T00:00:00Z', null, 'corrected', 'someone', '2026-01-02T00:00:00Z', 0);
  seg.run(6, 'model', '2026-01-02T00:00:00Z', '{not json', 'auto', null, null, 0);
  return db;
}

describe('migration 3: one review state', () => {
  it('moves sign-offs onto their rows and writes each scan the state of its current segmentation', () => {
    const db = schema2Catalog();
    migrate(db);
    const { scans, segmentations: segs } = reviewedRepos(db);
    expect([1, 2, 3, 4, 5, 6].map((id) => scans.require(id).reviewState)).toEqual([
      'needs-review',
      'signed-off',
      'corrected', // the correction is current, not the later model re-run
      'not-segmented', // an imported annotation is never current
      'not-segmented',
      'not-reviewed',
    ]);
    expect(segs.forScan(2)[0]!.signOff).toEqual({ by: 'dr.smith', at: '2026-01-03T00:00:00Z' });
    expect(segs.forScan(3).map((s) => s.signOff)).toEqual([null, null, null]);
    expect(segs.currentSegmentation(3)?.correctedBy).toBe('dr.jones');
    expect(scans.list({ reviewState: 'needs-review' }).items.map((s) => s.id)).toEqual([1]);
    db.close();
  });
});
