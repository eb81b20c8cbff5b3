import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resultOf, type JobKind } from '../../../src-shared/contract/channels/jobs';
import { AppError } from '../../../src-shared/contract/errors';
import { haveSharedData, sharedData } from '../../../test-support/shared-data';
import { openTempCatalog, type TempCatalog } from '../../../test-support/temp-catalog';
import { createReportService } from '../reports';
import { BulkActions } from './bulk-actions';
import { JobRunner } from '../../jobs/job-runner';

const HAVE = haveSharedData('octid-unannotated', 'NORMAL');
const OCTID = sharedData('octid-unannotated', 'NORMAL');

let cat: TempCatalog;
let bulk: BulkActions;

beforeEach(() => {
  cat = openTempCatalog('bulk');
  bulk = new BulkActions(cat.services, createReportService(cat.services));
});
afterEach(async () => {
  await cat.close();
});

/** Copies OCTID NORMAL<n>.jpeg into the scratch folder's NORMAL/ (tag NORMAL) and imports it; returns the ids in name order. */
async function importOctid(numbers: number[], sub = 'NORMAL'): Promise<number[]> {
  const dir = join(cat.work, sub);
  mkdirSync(dir, { recursive: true });
  for (const n of numbers) copyFileSync(join(OCTID, `NORMAL${n}.jpeg`), join(dir, `NORMAL${n}.jpeg`));
  await cat.importFrom(dir);
  return numbers.map((n) => cat.services.scans.list({ text: `NORMAL${n}.jpeg`, limit: 5 }).items.find((s) => s.originalPath.endsWith(`/NORMAL${n}.jpeg`))!.id);
}

async function finish<K extends JobKind>(jobId: string, kind: K) {
  return resultOf(await cat.services.jobs.wait(jobId), kind);
}

describe.skipIf(!HAVE)('bulk actions over a real catalog', () => {
  it('a filter selection covers every matching scan, not a page; unticked ids are left out', async () => {
    const ids = await importOctid([26, 27, 28, 29, 30]);
    await importOctid([31, 32], 'OTHER');
    const { scans } = cat.services;
    // a page of 2 shows two; "all matching" is all five scans of the NORMAL/ folder
    const folder = { text: '/NORMAL/' };
    expect(scans.list({ ...folder, limit: 2 }).items).toHaveLength(2);
    expect(bulk.count({ kind: 'filter', filter: folder })).toEqual({ scans: 5, unsegmented: 5, inTrash: 0 });
    expect(bulk.resolve({ kind: 'filter', filter: folder, except: [ids[1]!] }, 100)).toEqual([ids[0], ids[2], ids[3], ids[4]]);
    expect(() => bulk.resolve({ kind: 'filter', filter: {} }, 3)).toThrow(/holds 7 scans; this action takes at most 3/);
    expect(() => bulk.startDelete({ kind: 'filter', filter: { tag: 'NOPE' } })).toThrow(/No scans are selected/);
    expect(() => bulk.count({ kind: 'ids', ids: [9999] })).toThrow(/9999 not in the catalog/);
  });

  it('segments only the unsegmented, asks before a signed-off scan, exports the CSV and reports the selection', async () => {
    const [a, b, c] = await importOctid([26, 27, 28]);
    const first = await finish(bulk.startSegment({ kind: 'ids', ids: [a!] }, 'all'), 'bulk.segment');
    expect(first).toEqual({ segmented: [a], skipped: [], failed: [] });
    const selection = { kind: 'filter' as const, filter: { tag: 'NORMAL' } };
    expect(bulk.count(selection).unsegmented).toBe(2);

    const rest = await finish(bulk.startSegment(selection, 'unsegmented'), 'bulk.segment');
    expect(rest.segmented).toEqual([b, c]);
    expect(rest.skipped).toEqual([a]);
    expect(cat.services.scans.list({ reviewState: 'not-segmented' }).total).toBe(0);
    expect(() => bulk.startSegment(selection, 'unsegmented')).toThrow(/All 3 selected scans are segmented already/);

    // a signed-off scan is asked about, not silently re-run
    const seg = cat.services.segmentations.currentSegmentation(b!)!;
    cat.services.segmentations.signOff(seg.id);
    let asked: unknown = null;
    try {
      bulk.startSegment(selection, 'all');
    } catch (error) {
      asked = error;
    }
    expect(asked).toBeInstanceOf(AppError);
    expect((asked as AppError).code).toBe('CONFIRMATION_REQUIRED');
    expect((asked as AppError).details?.scanIds).toEqual([b]);

    const csv = await finish(bulk.startExport(selection), 'bulk.export-csv');
    expect(csv.scans).toBe(3);
    expect(csv.skipped).toEqual([]);
    const lines = readFileSync(csv.path, 'utf8').trim().split('\n');
    expect(lines[0]).toContain('scan_id');
    expect(lines.length - 1).toBe(csv.rows);
    expect(new Set(lines.slice(1).map((l) => l.split(',')[0]))).toEqual(new Set([a, b, c].map(String)));

    const report = await finish(bulk.startReport(selection, true), 'reports.batch');
    expect(report.failed).toEqual([]);
    expect(report.files).toHaveLength(1);
    expect(readFileSync(report.files[0]!).subarray(0, 5).toString()).toBe('%PDF-');
  }, 180_000);

  it('tags and untags; deletes to the trash, restores; purges rows and the library files nothing else uses, audited', async () => {
    const [a, b, c] = await importOctid([26, 27, 28]);
    const { scans, db, audit, library } = cat.services;
    const sel = { kind: 'ids' as const, ids: [a!, b!] };

    const tagged = await finish(bulk.startTag(sel, ' follow-up '), 'bulk.tag');
    expect(tagged).toEqual({ tag: 'follow-up', removed: false, changed: [a, b], unchanged: 0 });
    expect(scans.list({ tag: 'follow-up' }).total).toBe(2);
    expect(scans.list({ text: 'follow-up' }).total).toBe(2);
    expect(scans.require(a!).tags).toEqual(['NORMAL', 'follow-up']);
    expect((await finish(bulk.startTag({ kind: 'ids', ids: [a!, c!] }, 'follow-up', true), 'bulk.tag')).changed).toEqual([a]);
    expect(scans.require(a!).tags).toEqual(['NORMAL']);
    expect(() => bulk.startTag(sel, 'a,b')).toThrow(/cannot contain a comma/);

    const deleted = await finish(bulk.startDelete(sel), 'bulk.delete');
    expect(deleted.scanIds).toEqual([a, b]);
    expect(scans.list({}).total).toBe(1);
    expect(scans.list({ trash: true }).items.map((s) => s.id)).toEqual([b, a]);
    const restored = await finish(bulk.startRestore({ kind: 'filter', filter: { trash: true, text: 'NORMAL27' } }), 'bulk.restore');
    expect(restored.scanIds).toEqual([b]);

    // a's image is also another scan's (as a vendor series' B-scan could be): purging a keeps that file
    const fileA = scans.require(a!).storedFile;
    const fileC = scans.require(c!).storedFile;
    db.prepare('UPDATE bscans SET stored_file = ? WHERE scan_id = ?').run(fileA, c);
    await finish(bulk.startDelete({ kind: 'ids', ids: [c!] }), 'bulk.delete');
    const purged = await finish(bulk.startPurge({ kind: 'filter', filter: { trash: true } }), 'bulk.purge');
    expect(purged.purged.sort()).toEqual([a, c].sort());
    expect(purged.notInTrash).toEqual([]);
    expect(scans.get(a!)).toBeNull();
    expect(db.prepare('SELECT COUNT(*) FROM bscans WHERE scan_id IN (?, ?)').pluck().get(a, c)).toBe(0);
    expect(existsSync(library.absolutePath(fileA))).toBe(false);
    expect(existsSync(library.absolutePath(fileC))).toBe(false);
    expect(existsSync(library.absolutePath(scans.require(b!).storedFile))).toBe(true);
    expect(audit.forScan(a!).map((e) => e.action)).toEqual(['import', 'tag', 'untag', 'delete', 'purge']);
    // a scan out of the trash is never purged
    const kept = await finish(bulk.startPurge({ kind: 'ids', ids: [b!] }), 'bulk.purge');
    expect(kept).toEqual({ purged: [], notInTrash: [b], filesRemoved: 0, filesKept: 0 });
  });

  it('a library file shared with a scan that stays is kept by the purge', async () => {
    const [a, b] = await importOctid([26, 27]);
    const { scans, db, library } = cat.services;
    const fileA = scans.require(a!).storedFile;
    db.prepare('UPDATE bscans SET stored_file = ? WHERE scan_id = ?').run(fileA, b);
    await finish(bulk.startDelete({ kind: 'ids', ids: [a!] }), 'bulk.delete');
    const r = await finish(bulk.startPurge({ kind: 'ids', ids: [a!] }), 'bulk.purge');
    expect(r).toEqual({ purged: [a], notInTrash: [], filesRemoved: 0, filesKept: 1 });
    expect(existsSync(library.absolutePath(fileA))).toBe(true);
  });
});

describe('bulk jobs', () => {
  it('cancel stops at the next chunk: what was done stays done, the rest is untouched', async () => {
    const { scans, bus } = cat.services;
    for (let i = 1; i <= 250; i++) {
      const sha = i.toString(16).padStart(64, '0');
      scans.insert({
        patientId: null, eye: 'unknown', acquiredAt: null, device: null, protocol: null, tags: [], width: 10, height: 10, axialUmPerPx: null,
        lateralUmPerPx: null, scaleProvenance: 'unknown', scaleSource: null, originalPath: `/src/${i}.png`, sha256: sha, storedFile: `${sha.slice(0, 2)}/${sha}.png`,
        mime: 'image/png', bytes: 1,
      });
    }
    // each progress step waits 200 ms (the e2e knob), so the cancel lands between the first and second chunk
    const jobs = new JobRunner(bus, 200);
    const slow = new BulkActions({ ...cat.services, jobs }, createReportService(cat.services));
    const firstChunk = new Promise<void>((resolve) => bus.on('catalog.changed', () => resolve()));
    const jobId = slow.startDelete({ kind: 'filter', filter: {} });
    await firstChunk;
    jobs.cancel(jobId);
    expect((await jobs.wait(jobId)).state).toBe('cancelled');
    expect(scans.list({ trash: true }).total).toBe(100);
    expect(scans.list({}).total).toBe(150);
  });
});

describe('the list view sorts', () => {
  it('by eye, device, kind, review state and flag, with empty patients and devices last either way', () => {
    const { scans, patients } = cat.services;
    const p = patients.upsert('P7', {});
    const add = (i: number, eye: 'OD' | 'OS' | 'unknown', device: string | null, patientId: number | null) => {
      const sha = (1000 + i).toString(16).padStart(64, '0');
      return scans.insert({
        patientId, eye, acquiredAt: null, device, protocol: null, tags: [], width: 10, height: 10, axialUmPerPx: null, lateralUmPerPx: null,
        scaleProvenance: 'unknown', scaleSource: null, originalPath: `/s/${i}.png`, sha256: sha, storedFile: `${sha.slice(0, 2)}/${sha}.png`, mime: 'image/png', bytes: 1,
      });
    };
    const a = add(1, 'OS', null, null);
    const b = add(2, 'OD', 'Cirrus', p);
    const c = add(3, 'unknown', 'Avanti', null);
    const ids = (sort: 'eye' | 'device' | 'patient', order: 'asc' | 'desc') => scans.list({ sort, order }).items.map((s) => s.id);
    expect(ids('eye', 'asc')).toEqual([b, a, c]);
    expect(ids('eye', 'desc')).toEqual([c, a, b]);
    expect(ids('device', 'asc')).toEqual([c, b, a]);
    expect(ids('device', 'desc')).toEqual([b, c, a]);
    expect(ids('patient', 'asc')[0]).toBe(b);
    expect(ids('patient', 'desc')[0]).toBe(b);
  });
});
