import { cpSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportResult } from '../../../src-shared/domain/catalog';
import { haveSharedData, sharedData } from '../../../test-support/shared-data';
import { openTempCatalog, type TempCatalog } from '../../../test-support/temp-catalog';
import { openSeriesFile } from '../formats/open-series-file';

const FORMATS = sharedData('formats');
const run = haveSharedData('formats') ? describe : describe.skip;

let t: TempCatalog;
beforeEach(() => {
  t = openTempCatalog('series-import');
});
afterEach(async () => {
  await t.close();
});

/** One folder of what clinics export, mixed with a plain image, a text file and an empty vendor file. */
function mixedFolder(): string {
  const dir = join(t.work, 'mixed');
  const copy = (from: string, to = '') => cpSync(join(FORMATS, from), join(dir, to || from.split('/').pop()!), { recursive: true });
  copy('spectralis-vol/Willis_B_716_0.vol');
  copy('spectralis-vol/Willis_B_716_2.vol');
  for (const f of ['e2e_minimized.E2E', 'fda_minimized.fda', 'fds_minimized.fds', 'corrupt.fds']) copy(`panimg/tests/resources/oct/${f}`);
  copy('zeiss-img/oct_image.img');
  copy('heyex-xml-volume');
  copy('eyepy/tests/data/filetypes/heyex_xml/test_volume', 'eyepy-export');
  const jpeg = readdirSync(sharedData('octid-deepeye', 'images')).find((n) => n.endsWith('.jpeg'))!;
  cpSync(sharedData('octid-deepeye', 'images', jpeg), join(dir, 'NORMAL1.jpeg'));
  writeFileSync(join(dir, 'notes.txt'), 'not a scan');
  return dir;
}

async function importJob(source: string): Promise<ImportResult> {
  const s = t.services;
  const end = await s.jobs.wait(s.jobs.start('import', 'Import', (ctx) => s.importer.run(source, {}, ctx)));
  if (end.state !== 'done') throw new Error(`import ended ${end.state}: ${JSON.stringify(end.error)}`);
  return end.result as ImportResult;
}

run('importing vendor OCT files (issue 16)', () => {
  it('a mixed folder in one go: the dry run lists format, kind and B-scan count; an export is one series; a bad file fails alone', async () => {
    const dir = mixedFolder();
    const dry = await t.services.importer.dryRun(dir);
    const listed = Object.fromEntries(dry.files.map((f) => [f.path.slice(dir.length + 1), `${f.format} ${f.kind} ${f.bscanCount}`]));
    expect(listed).toMatchObject({
      'NORMAL1.jpeg': 'JPEG single 1',
      'Willis_B_716_0.vol': 'Heidelberg VOL line 1',
      'Willis_B_716_2.vol': 'Heidelberg VOL circle 1',
      'e2e_minimized.E2E': 'Heidelberg E2E line 1',
      'fda_minimized.fda': 'Topcon FDA line 1',
      'heyex-xml-volume/OCT-Info.xml': 'Heidelberg XML export volume 145',
      'eyepy-export/test_dummy.xml': 'Heidelberg XML export volume 10',
      'oct_image.img': 'Zeiss Cirrus IMG volume 4',
    });
    // the 145 TIFFs of the export are its B-scans, not 145 images
    expect(dry.files.filter((f) => f.path.includes('OCT-Volume-Scan'))).toEqual([]);
    expect(dry.files.find((f) => f.path.endsWith('OCT-Info.xml'))?.pairing).toEqual({
      rule: '<ImageNumber>-Input.tif',
      detail: expect.stringMatching(/^145 B-scans paired by the name <ImageNumber>-Input.tif in OCT-Volume-Scan\//),
    });
    expect(dry.failed).toEqual([{ path: join(dir, 'corrupt.fds'), code: 'EMPTY_FILE', message: `${join(dir, 'corrupt.fds')}: file: the file is empty (0 bytes)` }]);
    expect(dry.skipped.map((s) => s.path)).toEqual([join(dir, 'notes.txt')]);
    expect(t.services.scans.count()).toBe(0); // a dry run writes nothing

    const result = await importJob(dir);
    expect(result.imported).toBe(dry.wouldImport);
    expect(result.failed.map((f) => f.code)).toEqual(['EMPTY_FILE']);
    const byName = (name: string) => t.services.scans.require(result.files.find((f) => f.path.endsWith(name))!.scanId!);

    const line = byName('Willis_B_716_0.vol');
    expect(line).toMatchObject({ kind: 'line', bscanCount: 1, width: 768, height: 496, axialUmPerPx: 3.8717, lateralUmPerPx: 11.8206, scaleProvenance: 'file', eye: 'OD', eyeSource: 'file', device: 'Heidelberg Engineering Spectralis', protocol: 'line scan', acquiredAt: '2017-01-11T14:27:41.621Z', mime: 'image/png' });
    const lineSeries = t.services.series.get(line.id);
    expect(lineSeries.localizer).toMatchObject({ width: 768, height: 768, stored: true });
    expect(lineSeries.bscans[0]!.geometry).toMatchObject({ type: 'line', start: { x: 0 }, end: { x: expect.closeTo(9.078, 3) } });
    expect(lineSeries.deviceSegmentation).toEqual({ kind: 'device', name: 'Heidelberg Engineering Spectralis (file)', source: 'Heidelberg VOL segmentation lines', boundaryNames: ['ILM', 'BM'], bscanCount: 1 });
    const ilm = t.services.series.deviceLines(line.id, 0)!.lines.find((l) => l.name === 'ILM')!.rows;
    expect(ilm.filter((v) => v !== null).length).toBeGreaterThan(700);

    const circle = t.services.series.get(byName('Willis_B_716_2.vol').id);
    expect(circle.kind).toBe('circle');
    expect(circle.bscans[0]!.geometry).toMatchObject({ type: 'circle', radius: expect.any(Number) });

    const volume = byName('OCT-Info.xml');
    expect(volume).toMatchObject({ kind: 'volume', bscanCount: 145, width: 512, height: 496, axialUmPerPx: 3.872, lateralUmPerPx: 11.182, scaleProvenance: 'file' });
    const v = t.services.series.get(volume.id);
    expect(v.bscans).toHaveLength(145);
    expect(v.file?.pairing?.rule).toBe('<ImageNumber>-Input.tif');
    expect(v.localizer).toMatchObject({ stored: false, missing: 'no 0-Input.tif in the export folder' });
    expect(v.file?.betweenBscansUm).toBeGreaterThan(25);
    // B-scans are stored lossless: the stored PNG decodes to the reader's own pixels
    const opened = await openSeriesFile(join(dir, 'heyex-xml-volume'));
    const sharp = (await import('sharp')).default;
    for (const index of [0, 72, 144]) {
      const want = await opened.series.bscan(index);
      const png = t.services.library.read(t.services.series.bscanFile(volume.id, index).storedFile);
      expect((await sharp(png).metadata()).channels).toBe(1); // stored grey
      const got = await sharp(png).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
      expect(got.info).toMatchObject({ width: 512, height: 496, channels: 1 });
      expect(Buffer.compare(got.data, Buffer.from(want.pixels))).toBe(0);
    }
    await opened.close();

    // the E2E lateral scale is not in the file: stored as unknown, never guessed
    expect(byName('e2e_minimized.E2E').lateralUmPerPx).toBeNull();
    // a plain image stays a single series of itself
    expect(byName('NORMAL1.jpeg')).toMatchObject({ kind: 'single', bscanCount: 1, mime: 'image/jpeg' });

    // importing the folder again: every file is a duplicate, nothing decoded or stored twice
    const again = await importJob(dir);
    expect(again.imported).toBe(0);
    expect(again.duplicates).toBe(result.imported);
  });

  it('a B-scan that fails to decode part-way fails its file alone: no half series in the catalog, the batch carries on', async () => {
    const dir = join(t.work, 'broken');
    cpSync(join(FORMATS, 'eyepy/tests/data/filetypes/heyex_xml/test_volume'), join(dir, 'export'), { recursive: true });
    cpSync(join(FORMATS, 'spectralis-vol/Willis_B_716_2.vol'), join(dir, 'circle.vol'));
    const { readFileSync } = await import('node:fs');
    const tiff = readFileSync(join(dir, 'export', 'B5.tif'));
    writeFileSync(join(dir, 'export', 'B5.tif'), tiff.subarray(0, Math.floor(tiff.length / 2))); // the header opens, the strips are cut
    const dry = await t.services.importer.dryRun(dir);
    expect(dry.files.map((f) => f.path)).toContain(join(dir, 'export', 'test_dummy.xml')); // the header reads fine
    const result = await importJob(dir);
    const failed = result.failed.find((f) => f.path.endsWith('test_dummy.xml'));
    expect(failed?.message).toMatch(/B5\.tif|B-scan 4 TIFF/);
    expect(result.files.map((f) => f.format).sort()).toEqual(['Heidelberg VOL', 'TIFF']); // the circle scan, and B11.tif
    expect(t.services.db.prepare("SELECT COUNT(*) AS n FROM scans WHERE format = 'heidelberg-xml'").get()).toEqual({ n: 0 });
    expect(t.services.db.prepare('SELECT COUNT(*) AS n FROM bscans b LEFT JOIN scans s ON s.id = b.scan_id WHERE s.id IS NULL').get()).toEqual({ n: 0 });
  });

  it('imports the 145-B-scan XML volume in under 10 s, decoding in a worker: the event loop stays free', async () => {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const t0 = performance.now();
    const result = await importJob(join(FORMATS, 'heyex-xml-volume'));
    const seconds = (performance.now() - t0) / 1000;
    delay.disable();
    console.log(`XML volume import: ${seconds.toFixed(2)} s for 145 B-scans; longest event-loop stall ${(delay.max / 1e6).toFixed(0)} ms`);
    expect(result.imported).toBe(1);
    expect(t.services.scans.require(result.scanIds[0]!).bscanCount).toBe(145);
    expect(seconds).toBeLessThan(10);
    // a B-scan decode costs ~30 ms: 145 of them on this thread would stall it for seconds
    expect(delay.max / 1e6).toBeLessThan(500);
  });

  it("keeps the patient's name and birth date from the file in the catalog only: not in output, logs, the audit log or error messages", async () => {
    const dir = join(t.work, 'privacy');
    cpSync(join(FORMATS, 'eyepy/tests/data/filetypes/heyex_xml/test_volume'), join(dir, 'export'), { recursive: true });
    cpSync(join(FORMATS, 'spectralis-vol/Willis_B_716_0.vol'), join(dir, 'line.vol'));
    // a cut copy: its failure message must not carry patient data either
    const vol = (await import('node:fs')).readFileSync(join(FORMATS, 'spectralis-vol/Willis_B_716_0.vol'));
    writeFileSync(join(dir, 'cut.vol'), vol.subarray(0, 3000));
    const secrets: string[] = [];
    for (const path of [join(dir, 'export'), join(dir, 'line.vol')]) {
      const opened = await openSeriesFile(path);
      const p = opened.series.patient;
      await opened.close();
      for (const v of [p?.name, p?.birthDate]) if (v && v.length >= 4) secrets.push(v);
    }
    expect(secrets.length).toBeGreaterThanOrEqual(3); // a name and two birth dates

    const captured: string[] = [];
    const originals = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
    const out = process.stdout.write.bind(process.stdout);
    const err = process.stderr.write.bind(process.stderr);
    const grab = (...args: unknown[]) => void captured.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    Object.assign(console, { log: grab, info: grab, warn: grab, error: grab, debug: grab });
    process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => (captured.push(String(chunk)), out(chunk as string, ...(rest as []))) ) as typeof process.stdout.write;
    process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => (captured.push(String(chunk)), err(chunk as string, ...(rest as []))) ) as typeof process.stderr.write;
    let dry, result;
    try {
      dry = await t.services.importer.dryRun(dir);
      result = await importJob(dir);
    } finally {
      Object.assign(console, originals);
      process.stdout.write = out;
      process.stderr.write = err;
    }
    // the export, the line scan, and B11.tif, which the export's XML does not list (so it is a plain image)
    expect(result.files.map((f) => `${f.format} ${f.bscanCount}`).sort()).toEqual(['Heidelberg VOL 1', 'Heidelberg XML export 10', 'TIFF 1']);
    expect(result.failed.map((f) => f.path)).toEqual([join(dir, 'cut.vol')]);
    const db = t.services.db;
    const leaks = [
      ...captured,
      JSON.stringify(dry),
      JSON.stringify(result),
      JSON.stringify(db.prepare('SELECT * FROM audit_log').all()),
      JSON.stringify(db.prepare('SELECT * FROM import_runs').all()),
      JSON.stringify(t.services.jobs.list?.() ?? []),
    ].join('\n');
    for (const secret of secrets) expect(leaks).not.toContain(secret);
    // ... and the catalog has them
    const patients = JSON.stringify(db.prepare('SELECT name, birth_date FROM patients').all());
    for (const secret of secrets) expect(patients).toContain(secret);
  });
});
