import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportDryRun, ImportResult, ScanPage, CatalogStats } from '../../../src-shared/domain/catalog';
import { resultOf, type AnyJobProgress } from '../../../src-shared/contract/channels/jobs';
import { createDispatcher } from '../../ipc/dispatcher';
import { createHandlers } from '../../ipc/handlers';
import { createServices, type Services } from '../container';
import { recognise } from './recognise';
import { CIRRUS_750x500_PROFILE } from '../../../src-shared/analysis/scale';

const DATA = join(__dirname, '..', '..', '..', '..', 'shared', 'data');
const OCTID = join(DATA, 'octid-unannotated');
const NORMAL = join(OCTID, 'NORMAL');

let home: string;
let work: string;
let s: Services;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'stratum-import-home-'));
  work = mkdtempSync(join(tmpdir(), 'stratum-import-src-'));
  s = createServices({ home, host: 'node' });
});
afterEach(async () => {
  await s.close();
  rmSync(home, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

async function runImport(path: string, segment = false): Promise<ImportResult> {
  const id = s.jobs.start('import', 'Import', (ctx) => s.importer.run(path, { segment }, ctx));
  const end = await s.jobs.wait(id);
  return resultOf(end, 'import');
}

function libraryFiles(): string[] {
  return readdirSync(join(home, 'library'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
}

describe('recognisers', () => {
  it('reads OCTID layout, original project names and eye tokens', () => {
    expect(recognise('NORMAL/NORMAL12.jpeg', 'octid')).toMatchObject({ patientExternalId: null, eye: 'unknown', tags: ['NORMAL'], octidLayout: true });
    expect(recognise('06 OS - Copy.jpeg', 'x')).toMatchObject({ patientExternalId: '06', eye: 'OS', tags: [] });
    expect(recognise('12_od.png', 'x')).toMatchObject({ patientExternalId: '12', eye: 'OD' });
    expect(recognise('macular_hole/scan OS.png', 'x')).toMatchObject({ patientExternalId: null, eye: 'OS', tags: ['MH'] });
    expect(recognise('AMD/AMD3.jpeg', 'root').tags).toEqual(['AMD']);
    expect(recognise('CLOSED/photos.jpeg', 'x').eye).toBe('unknown');
  });
});

describe('import', () => {
  it('imports the OCTID folder as 60 NORMAL scans with an estimated scale, then nothing the second time', async () => {
    const events: unknown[] = [];
    s.bus.subscribe((event, payload) => { if (event === 'catalog.changed') events.push(payload); });
    const first = await runImport(OCTID);
    expect(first).toMatchObject({ found: 60, imported: 60, duplicates: 0, failed: [] });
    expect(first.perTag).toEqual({ NORMAL: 60 });
    const page = s.scans.list({ tag: 'NORMAL', limit: 500 });
    expect(page.total).toBe(60);
    const cirrus = page.items.filter((x) => x.width === 750 && x.height === 500);
    expect(cirrus.length).toBe(56);
    expect(cirrus.every((x) => x.scaleProvenance === 'device-profile' && x.axialUmPerPx === CIRRUS_750x500_PROFILE.axialUmPerPx)).toBe(true);
    expect(page.items.filter((x) => x.width === 879).every((x) => x.scaleProvenance === 'unknown')).toBe(true);
    expect(libraryFiles().length).toBe(60);
    const one = page.items[0]!;
    expect(one.storedFile).toBe(`${one.sha256.slice(0, 2)}/${one.sha256}.jpeg`);
    expect(events.length).toBeGreaterThan(0);
    expect(s.audit.forScan(one.id).map((e) => e.action)).toEqual(['import']);

    const second = await runImport(OCTID);
    expect(second).toMatchObject({ found: 60, imported: 0, duplicates: 60, failed: [] });
    expect(s.scans.count()).toBe(60);
    expect(libraryFiles().length).toBe(60);
  });

  it('restores a deleted scan when its file is imported again, keeping its history; a copy of it in the same batch is a duplicate', async () => {
    const names = readdirSync(NORMAL).sort().slice(0, 3);
    for (const n of names) copyFileSync(join(NORMAL, n), join(work, n));
    const first = await runImport(work);
    const gone = first.scanIds[1]!;
    s.scans.softDelete(gone);
    expect(s.scans.list().items.map((x) => x.id)).not.toContain(gone);
    copyFileSync(join(NORMAL, names[1]!), join(work, 'copy-of-second.jpeg'));

    const dry = await s.importer.dryRun(work);
    expect(dry).toMatchObject({ wouldImport: 0, wouldRestore: 1 });
    expect(dry.duplicates).toHaveLength(3);
    const again = await runImport(work);
    expect(again).toMatchObject({ imported: 0, restored: 1, duplicates: 3, failed: [] });
    expect(s.scans.require(gone).deletedAt).toBeNull();
    expect(s.scans.count()).toBe(3);
    expect(s.audit.forScan(gone).map((e) => e.action)).toEqual(['import', 'restore']);
  });

  it('imports the good files, reports each bad one with a reason and leaves nothing half-written', async () => {
    const names = readdirSync(NORMAL).sort().slice(0, 4);
    for (const n of names) copyFileSync(join(NORMAL, n), join(work, n));
    writeFileSync(join(work, 'empty.jpeg'), '');
    writeFileSync(join(work, 'truncated.jpeg'), readFileSync(join(NORMAL, names[0]!)).subarray(0, 2000));
    writeFileSync(join(work, 'x.png'), 'this is not an image\n');
    writeFileSync(join(work, 'notes.txt'), 'ignored');

    const dry = await s.importer.dryRun(work);
    expect(dry).toMatchObject({ found: 7, wouldImport: 4, missingScale: 0, unknownEye: 0 }); // the OCTID exports' orientation markers give the eye
    expect(dry.failed.length).toBe(3);
    expect(s.scans.count()).toBe(0);

    const result = await runImport(work);
    expect(result.imported).toBe(4);
    const codes = Object.fromEntries(result.failed.map((f) => [f.path.split('/').pop(), f.code]));
    expect(codes).toEqual({ 'empty.jpeg': 'EMPTY_FILE', 'truncated.jpeg': 'TRUNCATED', 'x.png': 'UNREADABLE_IMAGE' });
    for (const f of result.failed) expect(f.message.length).toBeGreaterThan(5);
    expect(s.scans.count(true)).toBe(4);
    expect(libraryFiles().length).toBe(4);
  });

  it('finds duplicates within one batch, reads a CSV manifest and flags bad rows', async () => {
    const [a, b] = readdirSync(NORMAL).sort();
    copyFileSync(join(NORMAL, a!), join(work, '06 OS - Copy.jpeg'));
    copyFileSync(join(NORMAL, a!), join(work, '06 OS.jpeg'));
    copyFileSync(join(NORMAL, b!), join(work, 'b.jpeg'));
    writeFileSync(
      join(work, 'manifest.csv'),
      [
        'file,patient_id,name,birth_date,eye,date,device,axial_um,lateral_um',
        'b.jpeg,P1,"Doe, Jane",1950-02-03,R,2024-05-06,Heidelberg Spectralis,3.87,5.7',
        'missing.jpeg,P2,,,OS,,,,',
        'b.jpeg,P3,,,sideways,,,,',
        'b.jpeg,P4,,,OD,06/05/2024,,,',
        'b.jpeg,P5',
      ].join('\n'),
    );
    const dry = await s.importer.dryRun(work);
    expect(dry.wouldImport).toBe(2);
    expect(dry.duplicates).toEqual([expect.objectContaining({ duplicateOf: { path: join(work, '06 OS - Copy.jpeg') } })]);
    expect(dry.perPatient).toEqual({ '06': 1, '(unknown)': 1 });

    const manifest = await runImport(join(work, 'manifest.csv'));
    expect(manifest.imported).toBe(1);
    expect(manifest.failed.map((f) => f.code).sort()).toEqual(['BAD_MANIFEST_ROW', 'BAD_MANIFEST_ROW', 'BAD_MANIFEST_ROW', 'MISSING_FILE']);
    const scan = s.scans.get(manifest.scanIds[0]!)!;
    expect(scan).toMatchObject({ patientExternalId: 'P1', patientName: 'Doe, Jane', eye: 'OD', acquiredAt: '2024-05-06', device: 'Heidelberg Spectralis', axialUmPerPx: 3.87, lateralUmPerPx: 5.7, scaleProvenance: 'user' });

    const folder = await runImport(work);
    expect(folder).toMatchObject({ imported: 1, duplicates: 2 });
  });

  it('says segmentation is not available when --segment has no engine', async () => {
    copyFileSync(join(NORMAL, readdirSync(NORMAL).sort()[0]!), join(work, 'a.jpeg'));
    s.importer.setSegmenter(null);
    const result = await runImport(work, true);
    expect(result.segmentation).toMatchObject({ available: false, message: 'segmentation not available' });
  });
});

describe('IPC channels', () => {
  it('dry-runs, imports as a job, lists, reads images, deletes and restores', async () => {
    const dispatch = createDispatcher(createHandlers(s));
    const call = async <T>(channel: string, payload: unknown): Promise<T> => {
      const r = await dispatch(channel, payload);
      if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
      return r.value as T;
    };
    for (const n of readdirSync(NORMAL).sort().slice(0, 3)) copyFileSync(join(NORMAL, n), join(work, n));
    mkdirSync(join(work, 'AMD'));
    copyFileSync(join(NORMAL, readdirSync(NORMAL).sort()[5]!), join(work, 'AMD', 'AMD1.jpeg'));

    const dry = await call<ImportDryRun>('import.dryRun', { path: work });
    expect(dry.wouldImport).toBe(4);
    expect(dry.perTag).toEqual({ NORMAL: 3, AMD: 1 });
    const bad = await dispatch('import.start', { path: join(work, 'nope') });
    expect(bad.ok === false && bad.error.code).toBe('BAD_INPUT');
    expect((await dispatch('catalog.listScans', { eye: 'left' })).ok).toBe(false);

    const { jobId } = await call<{ jobId: string }>('import.start', { path: work });
    const end = await s.jobs.wait(jobId);
    expect(resultOf(end, 'import').imported).toBe(4);
    const job = await call<AnyJobProgress>('jobs.get', { jobId });
    expect(job.state).toBe('done');

    const page = await call<ScanPage>('catalog.listScans', { tag: 'AMD' });
    expect(page.total).toBe(1);
    const id = page.items[0]!.id;
    const img = await call<{ mime: string; base64: string }>('catalog.scanImage', { scanId: id });
    expect(img.mime).toBe('image/jpeg');
    expect(Buffer.from(img.base64, 'base64').subarray(0, 2).toString('hex')).toBe('ffd8');
    await call('catalog.deleteScan', { scanId: id });
    expect((await call<ScanPage>('catalog.listScans', {})).total).toBe(3);
    expect((await call<CatalogStats>('catalog.stats', {})).deletedScans).toBe(1);
    await call('catalog.restoreScan', { scanId: id });
    expect((await call<ScanPage>('catalog.listScans', { limit: 2, offset: 2 })).items.length).toBe(2);
    expect(await call<unknown[]>('catalog.listPatients', {})).toEqual([]);
    const missing = await dispatch('catalog.getScan', { scanId: 999 });
    expect(missing.ok === false && missing.error.code).toBe('NOT_FOUND');
  });
});
