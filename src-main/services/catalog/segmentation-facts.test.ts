import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertBareScan, reviewedRepos } from '../../../test-support/catalog-repos';
import { syntheticScan } from '../../../test-support/synthetic-scan';
import { migrate } from './database';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stratum-seg-facts-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** SQLite's JSON functions replaced on this connection by counting ones that answer the same (for these queries). */
function countJsonCalls(db: Database.Database): { calls: number } {
  const counter = { calls: 0 };
  const at = (json: string | null, path: string): unknown => {
    if (json === null) return null;
    let v: unknown = JSON.parse(json);
    for (const key of path.replace(/^\$\.?/, '').split('.').filter(Boolean)) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
    return v;
  };
  db.function('json_valid', { deterministic: true }, (json: unknown) => {
    counter.calls++;
    try {
      JSON.parse(String(json));
      return 1;
    } catch {
      return 0;
    }
  });
  db.function('json_type', { deterministic: true }, (json: unknown, path: unknown) => {
    counter.calls++;
    const v = at(json as string | null, String(path));
    return v === undefined ? null : v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v;
  });
  db.function('json_extract', { deterministic: true }, (json: unknown, path: unknown) => {
    counter.calls++;
    const v = at(json as string | null, String(path));
    return v === undefined || v === null ? null : typeof v === 'object' ? JSON.stringify(v) : typeof v === 'boolean' ? Number(v) : (v as string | number);
  });
  return counter;
}

describe('the facts of a series scan', () => {
  it("saving a B-scan's model output reads no other row's summary: the work per save does not grow with the B-scans before it, and corrections are still found", async () => {
    const db = new Database(join(dir, 'catalog.sqlite'));
    migrate(db);
    const { scans, segmentations: segs } = reviewedRepos(db);
    insertBareScan(db, 1);
    const { summary } = await syntheticScan();
    const counter = countJsonCalls(db);
    const perSave: number[] = [];
    for (let i = 0; i < 30; i++) {
      const before = counter.calls;
      segs.saveModelSegmentation({ scanId: 1, bscanIndex: i, kind: 'model', model: { id: 'm', version: '1' }, labelMapPng: Buffer.from([0]), summary });
      perSave.push(counter.calls - before);
    }
    // before: every save parsed the summaries of all earlier B-scans (1, 2, ... 30 rows)
    expect(new Set(perSave).size).toBe(1);
    expect(perSave[29]).toBe(perSave[1]);

    const base = segs.latestSegmentation(1, 'model', 7)!;
    segs.saveSegmentation({
      scanId: 1, bscanIndex: 7, kind: 'manual', labelMapPng: Buffer.from([0]),
      summary: { ...summary, correction: { baseSegmentationId: base.id, changedShare: 0.01, changedPixels: 10, correctedBy: 'dr.lee' } },
    });
    const facts = segs.facts(1);
    expect(facts.filter((f) => f.correctedBy !== null).map((f) => [f.kind, f.correctedBy])).toEqual([['manual', 'dr.lee']]);
    expect(facts.filter((f) => f.kind === 'model').every((f) => f.correctedBy === null)).toBe(true);
    expect(scans.require(1).reviewState).toBe('corrected');
    db.close();
  });
});
