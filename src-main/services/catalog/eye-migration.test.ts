import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from './database';
import { MIGRATIONS } from './migrations';
import { ScansRepo } from './scans';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stratum-eye-migration-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('migration 4: where the eye came from', () => {
  it('marks eyes stored before as stated by a manifest or file name, leaves unknown eyes without a source', () => {
    const db = new Database(join(dir, 'catalog.sqlite'));
    for (const sql of MIGRATIONS.slice(0, 3)) db.exec(sql);
    db.pragma('user_version = 3');
    const scan = db.prepare(
      `INSERT INTO scans (id, eye, width, height, original_path, sha256, stored_file, mime, bytes, imported_at)
       VALUES (?, ?, 750, 500, ?, ?, 'x', 'image/jpeg', 1, '2026-01-01T00:00:00Z')`,
    );
    scan.run(1, 'OD', '/s/a OD.jpeg', '1'.padStart(64, '0'));
    scan.run(2, 'unknown', '/s/NORMAL3.jpeg', '2'.padStart(64, '0'));
    migrate(db);
    const scans = new ScansRepo(db);
    expect(scans.require(1)).toMatchObject({ eye: 'OD', eyeSource: 'manifest', eyeConfidence: 1 });
    expect(scans.require(2)).toMatchObject({ eye: 'unknown', eyeSource: null, eyeConfidence: null });
    // a detection fills an unknown eye once and never overwrites a stated one
    expect(scans.recordDetectedEye(2, { value: 'OS', source: 'anatomy', confidence: 0.7 })).toBe(true);
    expect(scans.recordDetectedEye(2, { value: 'OD', source: 'marker', confidence: 1 })).toBe(false);
    expect(scans.recordDetectedEye(1, { value: 'OS', source: 'marker', confidence: 1 })).toBe(false);
    expect(scans.require(2)).toMatchObject({ eye: 'OS', eyeSource: 'anatomy', eyeConfidence: 0.7 });
    expect(scans.require(1)).toMatchObject({ eye: 'OD', eyeSource: 'manifest' });
    // the columns refuse a source outside the list and a confidence outside 0..1
    expect(() => db.prepare(`UPDATE scans SET eye_source = 'guess' WHERE id = 1`).run()).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE scans SET eye_confidence = 2 WHERE id = 1').run()).toThrow(/CHECK/);
    db.close();
  });
});
