import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertBareScan, reviewedRepos } from '../../../test-support/catalog-repos';
import { syntheticScan } from '../../../test-support/synthetic-scan';
import type { SegmentationSummary } from '../../../src-shared/domain/segmentation';
import { migrate } from './database';
import { MIGRATIONS } from './migrations';
import { ScansRepo } from './scans';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stratum-flag-reasons-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A summary whose flags say it needs review, with one finding. */
function flagged(base: SegmentationSummary): SegmentationSummary {
  const finding = { code: 'gaps-in-retina' as const, severity: 'review' as const, message: '2.5 % of the retina is left unlabelled', details: { value: 0.025, threshold: 0.00077, unit: 'share' as const } };
  return { ...base, flags: { ...base.flags, needsReview: true, findings: [finding], reasons: [finding.message] } };
}

describe('the flag and its reasons on the scan', () => {
  it('a needs-review finding (not only a likely failure) flags the scan, with the reasons on its record; a clean re-run clears them', async () => {
    const db = new Database(join(dir, 'catalog.sqlite'));
    migrate(db);
    const { scans, segmentations: segs } = reviewedRepos(db);
    insertBareScan(db, 1);
    const { summary } = await syntheticScan();
    const review = flagged(summary);
    expect(review.flags.likelyFailure).toBe(false);
    segs.saveSegmentation({ scanId: 1, kind: 'model', model: { id: 'm', version: '1' }, labelMapPng: Buffer.from([0]), summary: review });
    const rec = scans.require(1);
    expect(rec.flagged).toBe(true);
    expect(rec.reviewState).toBe('needs-review');
    expect(rec.flagReasons).toEqual(['2.5 % of the retina is left unlabelled']);
    expect(scans.list({ flagged: true }).items.map((s) => s.flagReasons)).toEqual([['2.5 % of the retina is left unlabelled']]);
    segs.saveSegmentation({ scanId: 1, kind: 'model', model: { id: 'm', version: '2' }, labelMapPng: Buffer.from([0]), summary });
    expect(scans.require(1).flagged).toBe(false);
    expect(scans.require(1).flagReasons).toEqual([]);
    db.close();
  });

  it('the flag_reasons migration gives scans flagged before it their reasons from the current segmentation', () => {
    const db = new Database(join(dir, 'catalog.sqlite'));
    const mine = MIGRATIONS.findIndex((m) => m.includes('ADD COLUMN flag_reasons'));
    for (const sql of MIGRATIONS.slice(0, mine)) db.exec(sql);
    db.pragma(`user_version = ${mine}`);
    insertBareScan(db, 1);
    insertBareScan(db, 2);
    db.prepare("UPDATE scans SET flagged = 1, review_status = 'needs-review' WHERE id = 1").run();
    const seg = db.prepare(`INSERT INTO segmentations (scan_id, kind, model_id, model_version, created_at, label_map, summary_json, review_status, likely_failure) VALUES (?, 'model', 'm', '1', '2026-01-02T00:00:00Z', x'00', ?, 'auto', ?)`);
    seg.run(1, JSON.stringify({ flags: { likelyFailure: true, reasons: ['fovea not found'] } }), 1);
    seg.run(2, '{not json', 0);
    migrate(db);
    const scans = new ScansRepo(db);
    expect(scans.require(1).flagReasons).toEqual(['fovea not found']);
    expect(scans.require(2).flagReasons).toEqual([]);
    db.close();
  });
});
