import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from './audit';
import { migrate, schemaVersion } from './database';
import { MIGRATIONS } from './migrations';
import { ScansRepo } from './scans';
import { SegmentationsRepo } from './segmentations';
import { syncReviewState } from './review-state';
import { SeriesRepo } from './series';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stratum-series-migration-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The schema the previous release wrote: migrations 1-4 (scan = one image, eye source and confidence). */
const PREVIOUS_RELEASE = 4;

/** A catalog written the previous release's way: a patient, two scans, a model run and a correction. */
function previousReleaseCatalog(): Database.Database {
  const db = new Database(join(dir, 'catalog.sqlite'));
  for (const sql of MIGRATIONS.slice(0, PREVIOUS_RELEASE)) db.exec(sql);
  db.pragma(`user_version = ${PREVIOUS_RELEASE}`);
  db.prepare(`INSERT INTO patients (id, external_id, name, birth_date, created_at) VALUES (1, 'P-1', 'A Person', '1950-02-03', '2026-01-01T00:00:00Z')`).run();
  const scan = db.prepare(
    `INSERT INTO scans (id, patient_id, eye, eye_source, eye_confidence, acquired_at, device, protocol, tags, width, height, axial_um, lateral_um,
       scale_provenance, scale_source, original_path, sha256, stored_file, mime, bytes, imported_at, review_status, flagged)
     VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'image/jpeg', ?, '2026-01-01T00:00:00Z', ?, ?)`,
  );
  scan.run(1, 1, 'OD', 'manifest', 1, '2025-06-01', 'Zeiss Cirrus HD-OCT', 'NORMAL', 750, 500, 4, 8, 'device-profile', 'Zeiss Cirrus 750x500 export profile',
    '/s/NORMAL1.jpeg', 'a'.repeat(64), `aa/${'a'.repeat(64)}.jpeg`, 1234, 'corrected', 0);
  scan.run(2, null, 'unknown', null, null, null, null, '', 640, 480, null, null, 'unknown', null, '/s/x.png', 'b'.repeat(64), `bb/${'b'.repeat(64)}.png`, 99, null, 0);
  db.prepare(`INSERT INTO scan_tags (scan_id, tag) VALUES (1, 'NORMAL')`).run();
  const seg = db.prepare(
    `INSERT INTO segmentations (id, scan_id, kind, model_id, model_version, created_at, label_map, summary_json, review_status, likely_failure, signed_off_by, signed_off_at)
     VALUES (?, 1, ?, 'stratum-unet', '1.0.0', ?, ?, ?, ?, 0, NULL, NULL)`,
  );
  seg.run(1, 'model', '2026-01-02T00:00:00Z', Buffer.from([1, 2, 3]), null, 'auto');
  seg.run(2, 'manual', '2026-01-03T00:00:00Z', Buffer.from([4, 5, 6]),
    JSON.stringify({ correction: { baseSegmentationId: 1, changedShare: 0.01, changedPixels: 10, correctedBy: 'dr.lee' } }), 'corrected');
  return db;
}

describe('migration 5: a scan is a series of B-scans', () => {
  it('keeps every row of a catalog the previous release wrote, each scan a one-B-scan single series of its own image', () => {
    const db = previousReleaseCatalog();
    const before = {
      scans: db.prepare('SELECT * FROM scans ORDER BY id').all(),
      segmentations: db.prepare('SELECT * FROM segmentations ORDER BY id').all(),
      patients: db.prepare('SELECT * FROM patients').all(),
      tags: db.prepare('SELECT * FROM scan_tags').all(),
    };
    migrate(db);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);

    // nothing lost: every old column of every row holds what it held
    const afterScans = db.prepare('SELECT * FROM scans ORDER BY id').all() as Record<string, unknown>[];
    before.scans.forEach((row, i) => expect(afterScans[i]).toMatchObject(row as Record<string, unknown>));
    const afterSegs = db.prepare('SELECT * FROM segmentations ORDER BY id').all() as Record<string, unknown>[];
    before.segmentations.forEach((row, i) => expect(afterSegs[i]).toMatchObject(row as Record<string, unknown>));
    expect(db.prepare('SELECT * FROM patients').all()).toEqual(before.patients);
    expect(db.prepare('SELECT * FROM scan_tags').all()).toEqual(before.tags);

    const scans = new ScansRepo(db);
    const series = new SeriesRepo(db);
    const segmentations: SegmentationsRepo = new SegmentationsRepo(db, new AuditLog(db), (id) => syncReviewState({ scans, segmentations }, id));
    expect(scans.require(1)).toMatchObject({ kind: 'single', bscanCount: 1, eye: 'OD', eyeSource: 'manifest', axialUmPerPx: 4, lateralUmPerPx: 8, tags: ['NORMAL'] });
    expect(scans.require(2)).toMatchObject({ kind: 'single', bscanCount: 1, eye: 'unknown' });
    expect(series.get(1)).toEqual({
      scanId: 1, kind: 'single', bscanCount: 1, format: null, file: null, localizer: null, deviceSegmentation: null,
      bscans: [{ index: 0, width: 750, height: 500, geometry: null, quality: null }],
    });
    // B-scan 0 is the scan's own stored image, and the card falls back to it
    expect(series.bscanFile(1, 0)).toEqual({ storedFile: `aa/${'a'.repeat(64)}.jpeg`, width: 750, height: 500 });
    expect(series.thumbnailFile(2)).toMatchObject({ storedFile: `bb/${'b'.repeat(64)}.png`, what: 'bscan' });
    // old segmentations belong to B-scan 0; the correction is still current
    expect(segmentations.forScan(1).map((s) => s.bscanIndex)).toEqual([0, 0]);
    expect(segmentations.currentSegmentation(1)?.id).toBe(2);
    expect(segmentations.currentSegmentation(1, 0)?.correctedBy).toBe('dr.lee');
    expect(segmentations.bscansSegmentedBy(1, { id: 'stratum-unet', version: '1.0.0' })).toEqual(new Set([0]));
    db.close();
  });

  it('gives a plain image inserted later its one B-scan, and stores a vendor series with its geometry, localizer and device lines', () => {
    const db = previousReleaseCatalog();
    migrate(db);
    const scans = new ScansRepo(db);
    const series = new SeriesRepo(db);
    const common = {
      patientId: null, eye: 'OD' as const, eyeSource: 'file' as const, eyeConfidence: 1, acquiredAt: '2017-01-11T14:27:41.621Z', device: 'Heidelberg Engineering Spectralis',
      protocol: 'volume', tags: [], width: 512, height: 496, axialUmPerPx: 3.87, lateralUmPerPx: 11.18, scaleProvenance: 'file' as const, scaleSource: 'XML ScaleY; XML ScaleX',
      mime: 'image/png', bytes: 10,
    };
    const plain = scans.insert({ ...common, originalPath: '/s/y.png', sha256: 'c'.repeat(64), storedFile: 'cc/c.png' });
    expect(series.get(plain).bscans).toHaveLength(1);

    const id = db.transaction(() => {
      const scanId = scans.insert({ ...common, originalPath: '/s/OCT-Info.xml', sha256: 'd'.repeat(64), storedFile: 'b0/0.png' });
      const ilm = new Float32Array(512).fill(NaN);
      ilm[10] = 100.5;
      series.insert({
        scanId,
        kind: 'volume',
        format: 'heidelberg-xml',
        file: { formatLabel: 'Heidelberg XML export', version: null, betweenBscansUm: 30, scaleSources: { axial: 'XML ScaleY' }, pairing: { rule: '<ImageNumber>-Input.tif', detail: '3 B-scans' }, notes: [] },
        bscans: [0, 1, 2].map((i) => ({
          index: i, storedFile: `b${i}/${i}.png`, sha256: String(i).repeat(64), width: 512, height: 496,
          geometry: { type: 'line' as const, start: { x: 1, y: 1 + i * 0.03 }, end: { x: 6.7, y: 1 + i * 0.03 } }, quality: 30 + i,
        })),
        localizer: { storedFile: null, width: 768, height: 768, scaleXMm: 0.0118, scaleYMm: 0.0118, modality: 'IR', missing: 'no 0-Input.tif in the export folder' },
        device: { name: 'Heidelberg Engineering Spectralis (file)', source: 'Heidelberg XML SegLine', width: 512, perBscan: [{ bscanIndex: 1, lines: { ILM: ilm, BM: new Float32Array(512).fill(300) } }] },
      });
      return scanId;
    })();
    expect(scans.require(id)).toMatchObject({ kind: 'volume', bscanCount: 3, width: 512 });
    const s = series.get(id);
    expect(s.bscans.map((b) => b.geometry)).toEqual([0, 1, 2].map((i) => ({ type: 'line', start: { x: 1, y: 1 + i * 0.03 }, end: { x: 6.7, y: 1 + i * 0.03 } })));
    expect(s.file?.pairing?.rule).toBe('<ImageNumber>-Input.tif');
    expect(s.localizer).toMatchObject({ width: 768, stored: false, missing: 'no 0-Input.tif in the export folder' });
    expect(s.deviceSegmentation).toEqual({ kind: 'device', name: 'Heidelberg Engineering Spectralis (file)', source: 'Heidelberg XML SegLine', boundaryNames: ['ILM', 'BM'], bscanCount: 1 });
    expect(() => series.localizerFile(id)).toThrow(/no localizer image/);
    expect(series.thumbnailFile(id)).toMatchObject({ storedFile: 'b1/1.png', what: 'bscan' });
    const lines = series.deviceLines(id, 1)!;
    expect(lines.lines[0]!.rows[10]).toBeCloseTo(100.5);
    expect(lines.lines[0]!.rows[11]).toBeNull(); // NaN, invalid, travels as null
    expect(lines.lines[1]!.rows.every((v) => v === 300)).toBe(true);
    expect(series.deviceLines(id, 0)).toBeNull();
    expect(() => series.bscanFile(id, 3)).toThrow(/no B-scan 3/);
    // the columns refuse an unknown kind
    expect(() => db.prepare(`UPDATE scans SET kind = 'cube' WHERE id = ?`).run(id)).toThrow(/CHECK/);
    db.close();
  });
});
