import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/contract';
import { reviewedRepos } from '../../../test-support/catalog-repos';
import type { Laterality } from '../../../src-shared/domain/laterality';
import { openCatalogDb, schemaVersion, type CatalogDb } from './database';
import { MIGRATIONS } from './migrations';
import { PatientsRepo } from './patients';
import { ScansRepo, type NewScan } from './scans';
import type { SegmentationsRepo } from './segmentations';
import { acquireCatalogLock, LOCK_FILE, readOwner } from './lock';
import { createServices } from '../container';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stratum-catalog-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function scan(i: number, over: Partial<NewScan> = {}): NewScan {
  const sha = i.toString(16).padStart(64, '0');
  return {
    patientId: null, eye: 'unknown', acquiredAt: null, device: null, protocol: null, tags: [], width: 750, height: 500,
    axialUmPerPx: null, lateralUmPerPx: null, scaleProvenance: 'unknown', scaleSource: null, originalPath: `/src/img${i}.jpeg`,
    sha256: sha, storedFile: `${sha.slice(0, 2)}/${sha}.jpeg`, mime: 'image/jpeg', bytes: 100, ...over,
  };
}

describe('migrations', () => {
  it('builds the whole schema from an empty file and is idempotent on reopen', () => {
    const path = join(dir, 'catalog.sqlite');
    writeFileSync(path, '');
    const db = openCatalogDb(path);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
    for (const t of ['patients', 'scans', 'segmentations', 'models', 'reports', 'audit_log', 'scan_tags', 'import_runs']) expect(tables).toContain(t);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    const again = openCatalogDb(path);
    expect(schemaVersion(again)).toBe(MIGRATIONS.length);
    again.close();
  });
});

describe('scans: filters and paging', () => {
  let db: CatalogDb;
  let scans: ScansRepo;
  let patients: PatientsRepo;
  let segs: SegmentationsRepo;
  beforeEach(() => {
    db = openCatalogDb(join(dir, 'catalog.sqlite'));
    ({ scans, segmentations: segs } = reviewedRepos(db));
    patients = new PatientsRepo(db);
    const p1 = patients.upsert('06', { name: 'Ada Lovelace' });
    const p2 = patients.upsert('07');
    const eyes: Laterality[] = ['OD', 'OS', 'unknown'];
    for (let i = 1; i <= 30; i++) {
      scans.insert(scan(i, {
        patientId: i <= 10 ? p1 : i <= 20 ? p2 : null,
        eye: eyes[i % 3] as Laterality,
        tags: i % 2 === 0 ? ['NORMAL'] : ['AMD', 'DR'],
        acquiredAt: `2020-01-${String(i).padStart(2, '0')}`,
        device: i === 5 ? 'Zeiss Cirrus HD-OCT' : null,
      }));
    }
  });
  afterEach(() => db.close());

  it('filters by patient, eye, tag, date range and free text', () => {
    expect(scans.list({ patient: '06' }).total).toBe(10);
    expect(scans.list({ patient: 'nobody' }).total).toBe(0);
    expect(scans.list({ eye: 'OD' }).items.every((s) => s.eye === 'OD')).toBe(true);
    expect(scans.list({ eye: 'OD' }).total).toBe(10);
    expect(scans.list({ tag: 'NORMAL' }).total).toBe(15);
    expect(scans.list({ tag: 'DR' }).total).toBe(15);
    expect(scans.list({ tag: 'DR', eye: 'OS' }).items.every((s) => s.tags.includes('DR') && s.eye === 'OS')).toBe(true);
    expect(scans.list({ dateFrom: '2020-01-05', dateTo: '2020-01-09' }).total).toBe(5);
    expect(scans.list({ text: 'img17.' }).items.map((s) => s.originalPath)).toEqual(['/src/img17.jpeg']);
    expect(scans.list({ text: 'lovelace' }).total).toBe(10);
    expect(scans.list({ text: 'cirrus' }).total).toBe(1);
  });

  it('pages newest first without overlap, with an exact total', () => {
    const seen = new Set<number>();
    for (let offset = 0; offset < 30; offset += 7) {
      const page = scans.list({ limit: 7, offset });
      expect(page.total).toBe(30);
      expect(page.totalExact).toBe(true);
      for (const s of page.items) seen.add(s.id);
    }
    expect(seen.size).toBe(30);
    expect(scans.list({ limit: 3 }).items.map((s) => s.id)).toEqual([30, 29, 28]);
    expect(scans.list({ limit: 3, order: 'asc' }).items.map((s) => s.id)).toEqual([1, 2, 3]);
    expect(scans.list({ sort: 'acquiredAt', limit: 1 }).items[0]?.acquiredAt).toBe('2020-01-30');
  });

  it('soft-deletes and restores', () => {
    scans.softDelete(3);
    expect(scans.list({}).total).toBe(29);
    expect(scans.list({ includeDeleted: true }).total).toBe(30);
    expect(scans.get(3)?.deletedAt).not.toBeNull();
    expect(scans.stats().deletedScans).toBe(1);
    scans.restore(3);
    expect(scans.list({}).total).toBe(30);
    expect(() => scans.softDelete(999)).toThrow(AppError);
  });

  it('stores segmentations and filters by review state (domain/review.ts)', () => {
    const png = Buffer.from([1, 2, 3]);
    const id = segs.saveSegmentation({ scanId: 4, kind: 'model', model: { id: 'm', version: '1' }, labelMapPng: png, summary: null });
    expect(scans.list({ reviewState: 'not-reviewed' }).items.map((s) => s.id)).toEqual([4]);
    expect(scans.list({ reviewState: 'not-segmented' }).total).toBe(29);
    const latest = segs.latestSegmentation(4, 'model');
    expect(latest?.id).toBe(id);
    expect(Buffer.compare(latest?.labelMapPng ?? Buffer.alloc(0), png)).toBe(0);
    expect(segs.latestSegmentation(4, 'manual')).toBeNull();
    segs.signOff(id, 'dr.lee');
    expect(scans.get(4)?.reviewState).toBe('signed-off');
    expect(segs.get(id)?.signOff).toMatchObject({ by: 'dr.lee' });
    expect(() => segs.signOff(id, 'dr.other')).toThrow(/signed off already: Signed off by dr\.lee/);
    // an imported annotation is shown for comparison, never current: the model output stays current
    const manual = segs.saveSegmentation({ scanId: 4, kind: 'manual', labelMapPng: png, summary: null });
    expect(segs.latestSegmentation(4)?.id).toBe(manual);
    expect(segs.currentSegmentation(4)?.id).toBe(id);
    expect(scans.get(4)?.reviewState).toBe('signed-off');
    segs.withdrawSignOff(id, 'dr.lee');
    expect(scans.get(4)?.reviewState).toBe('not-reviewed');
    expect(scans.stats().segmentations).toBe(2);
    expect(scans.stats().byReviewState).toMatchObject({ 'not-reviewed': 1, 'not-segmented': 29, 'signed-off': 0 });
    expect(() => segs.saveSegmentation({ scanId: 999, kind: 'manual', labelMapPng: png, summary: null })).toThrow(/No scan/);
  });

  it('rejects a second scan with the same content hash', () => {
    expect(() => scans.insert(scan(1))).toThrow();
    expect(scans.findByHash(scan(1).sha256)?.id).toBe(1);
  });
});

describe('catalog lock', () => {
  it('lets one owner at a time and releases on close', async () => {
    const s = createServices({ home: dir, host: 'node' });
    expect(readOwner(join(dir, LOCK_FILE))?.pid).toBe(process.pid);
    expect(() => createServices({ home: dir, host: 'node' })).toThrow(/already open/);
    await s.close();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    const again = createServices({ home: dir, host: 'node' });
    await again.close();
  });

  it('refuses a catalog held by another live process', () => {
    writeFileSync(join(dir, LOCK_FILE), `${process.ppid}\n`);
    try {
      acquireCatalogLock(dir, join(dir, 'catalog.sqlite'));
      expect.unreachable();
    } catch (error) {
      expect((error as AppError).code).toBe('CONFLICT');
      expect((error as AppError).message).toBe(`The catalog at ${join(dir, 'catalog.sqlite')} is open in another Stratum process (pid ${process.ppid})`);
    }
  });

  it('takes over a stale lock whose process is gone', () => {
    writeFileSync(join(dir, LOCK_FILE), '2147483646\n');
    const release = acquireCatalogLock(dir, join(dir, 'catalog.sqlite'));
    expect(readOwner(join(dir, LOCK_FILE))?.pid).toBe(process.pid);
    release();
  });
});
