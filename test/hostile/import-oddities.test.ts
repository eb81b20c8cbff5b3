import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resultOf } from '../../src-shared/contract/channels/jobs';
import type { ImportResult } from '../../src-shared/domain/catalog';
import { TEXT_LIMITS } from '../../src-shared/domain/limits';
import { attachMaskToCatalog } from '../../src-main/services/conversion/catalog-attach';
import { createServices, type Services } from '../../src-main/services/container';
import { REPO_ROOT, haveSharedData, sharedData } from '../../test-support/shared-data';
import { buildMain } from '../../test-support/main-build';

/**
 * Issue 13 item 13, import's quiet oddities: folders with nothing importable say what they skipped and
 * exit non-zero; trailing junk after a JPEG/PNG is not stored; text fields are limited; a UTF-8 BOM is
 * accepted and a manifest that is not UTF-8 is refused saying where. Real images, real catalog, real CLI.
 */
const NORMAL = sharedData('octid-unannotated', 'NORMAL');
const CLEAN = join(NORMAL, 'NORMAL26.jpeg');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let home: string;
/** The CLI's own data folder (the in-process services hold the lock on `home`). */
let cliHome: string;
let work: string;
let s: Services;

function cli(...args: string[]) {
  return spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'stratum.cjs'), '--home', cliHome, 'import', ...args], { encoding: 'utf8' });
}

async function runImport(path: string): Promise<ImportResult> {
  const id = s.jobs.start('import', 'Import', (ctx) => s.importer.run(path, {}, ctx));
  return resultOf(await s.jobs.wait(id), 'import');
}

function libraryFiles(): string[] {
  return readdirSync(join(home, 'library'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

beforeAll(() => {
  expect(haveSharedData('octid-unannotated')).toBe(true);
  buildMain();
});

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'stratum-odd-home-'));
  cliHome = mkdtempSync(join(tmpdir(), 'stratum-odd-cli-'));
  work = mkdtempSync(join(tmpdir(), 'stratum-odd-src-'));
  s = createServices({ home, host: 'node' });
});

afterEach(async () => {
  await s.close();
  rmSync(home, { recursive: true, force: true });
  rmSync(cliHome, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});


describe('folders with nothing importable', () => {
  it('a folder of only .gif files: each skipped with why, "nothing importable", exit 1', async () => {
    for (const n of ['a.gif', 'b.gif', 'c.GIF']) writeFileSync(join(work, n), 'GIF89a\x01\x00\x01\x00');
    const dry = await s.importer.dryRun(work);
    expect(dry.found).toBe(0);
    expect(dry.skipped.map((x) => x.reason)).toEqual(['NOT_AN_IMAGE_TYPE', 'NOT_AN_IMAGE_TYPE', 'NOT_AN_IMAGE_TYPE']);
    expect(dry.skipped[0]!.message).toContain('A .gif file');
    for (const args of [['--dry-run', work], [work]]) {
      const r = cli(...args);
      expect(r.status).toBe(1);
      expect(r.stdout).toContain('3 skipped (not imported)');
      expect(r.stdout).toContain('SKIPPED NOT_AN_IMAGE_TYPE x3');
      expect(r.stdout).toContain(`${join(work, 'a.gif')}: A .gif file: import reads JPEG, PNG, TIFF and BMP`);
      expect(r.stdout).toContain('Nothing importable found');
    }
  });

  it('a folder of only symbolic links (to real scans and to a folder): skipped, not followed, exit 1', async () => {
    symlinkSync(CLEAN, join(work, 'link.jpeg'));
    symlinkSync(NORMAL, join(work, 'linked-folder'));
    const r = cli(work, '--json');
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as ImportResult;
    expect(out.imported).toBe(0);
    expect(out.skipped.map((x) => [x.path, x.reason])).toEqual([
      [join(work, 'link.jpeg'), 'SYMLINK'],
      [join(work, 'linked-folder'), 'SYMLINK'],
    ]);
    expect(out.skipped[0]!.message).toMatch(/not followed/);
  });

  it('skipped entries next to real scans are reported but are no failure (exit 0)', () => {
    copyFileSync(CLEAN, join(work, 'scan.jpeg'));
    writeFileSync(join(work, 'notes.txt'), 'hello');
    const r = cli(work);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('1 imported');
    expect(r.stdout).toContain(`${join(work, 'notes.txt')}: A .txt file`);
  });
});

describe('trailing data after the image', () => {
  it('a JPEG with 200 MB of trailing junk: only the image is stored and hashed; the clean file is then a duplicate', async () => {
    const clean = readFileSync(CLEAN);
    const junk = join(work, 'junk.jpeg');
    writeFileSync(junk, Buffer.concat([clean, Buffer.alloc(200 * 1024 * 1024, 0x5a)]));
    const result = await runImport(work);
    expect(result.imported).toBe(1);
    expect(result.notices).toEqual([expect.objectContaining({ code: 'TRAILING_DATA_DROPPED', path: junk })]);
    expect(result.notices[0]!.message).toContain(`${200 * 1024 * 1024} bytes after the image's end marker`);
    const [stored] = libraryFiles();
    expect(readFileSync(stored!).equals(clean)).toBe(true);
    const scan = s.scans.require(result.scanIds[0]!);
    expect([scan.sha256, scan.bytes, scan.width]).toEqual([sha(clean), clean.length, 750]);
    // annotations attached by image file find the scan whether the file has its trailer or not
    const mask = { width: 750, height: 500, data: new Uint8Array(750 * 500) };
    expect(await attachMaskToCatalog({ scans: s.scans, segmentations: s.segmentations }, junk, mask)).toMatchObject({ scanId: scan.id });
    rmSync(junk);
    copyFileSync(CLEAN, join(work, 'clean.jpeg'));
    expect((await runImport(work)).duplicates).toBe(1);
  });

  it('an FF D9 inside an EXIF thumbnail does not cut the JPEG short; a PNG is cut after IEND', async () => {
    const clean = readFileSync(CLEAN);
    const thumb = Buffer.from([0xff, 0xd8, 0x00, 0x11, 0xff, 0xd9, 0x22]);
    const app1Body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), thumb]);
    const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, (app1Body.length + 2) >> 8, (app1Body.length + 2) & 0xff]), app1Body]);
    const withThumb = Buffer.concat([clean.subarray(0, 2), app1, clean.subarray(2)]);
    writeFileSync(join(work, 'thumb.jpeg'), Buffer.concat([withThumb, Buffer.from('TRAILER')]));
    const png = await sharp(CLEAN).png().toBuffer();
    writeFileSync(join(work, 'tail.png'), Buffer.concat([png, Buffer.alloc(4096, 1)]));
    const result = await runImport(work);
    expect(result.imported).toBe(2);
    expect(result.notices.map((n) => n.message.split(' ')[0])).toEqual(['4096', '7']);
    const sizes = result.scanIds.map((id) => s.scans.require(id).bytes).sort((a, b) => a - b);
    expect(sizes).toEqual([withThumb.length, png.length].sort((a, b) => a - b));
  });
});

describe('manifest text', () => {
  function manifest(lines: string[], encoding: BufferEncoding = 'utf8', prefix = Buffer.alloc(0)): string {
    copyFileSync(CLEAN, join(work, 'a.jpeg'));
    copyFileSync(join(NORMAL, 'NORMAL27.jpeg'), join(work, 'b.jpeg'));
    const path = join(work, 'manifest.csv');
    writeFileSync(path, Buffer.concat([prefix, Buffer.from(`${lines.join('\r\n')}\r\n`, encoding)]));
    return path;
  }

  it('refuses a 50 MB patient name (and any field over its limit) per row, saying the field, not its content', async () => {
    const huge = 'N'.repeat(50 * 1024 * 1024);
    const path = manifest(['file,patient_id,name', `a.jpeg,P1,${huge}`, `b.jpeg,${'7'.repeat(TEXT_LIMITS.patientId + 1)},Ann`]);
    const t0 = performance.now();
    const dry = await s.importer.dryRun(path);
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(dry.failed.map((f) => [f.code, f.line, f.message])).toEqual([
      ['BAD_MANIFEST_ROW', 2, `The name field is ${huge.length} characters long; at most ${TEXT_LIMITS.patientName} are accepted`],
      ['BAD_MANIFEST_ROW', 3, `The patient_id field is ${TEXT_LIMITS.patientId + 1} characters long; at most ${TEXT_LIMITS.patientId} are accepted`],
    ]);
    expect(dry.wouldImport).toBe(0);
  });

  it('accepts fields at their limits, counted in characters (a 200-character name of accented letters)', async () => {
    const name = 'é'.repeat(TEXT_LIMITS.patientName);
    const result = await runImport(manifest(['file,patient_id,name', `a.jpeg,${'9'.repeat(TEXT_LIMITS.patientId)},${name}`]));
    expect(result.imported).toBe(1);
    expect(s.patients.list()[0]!.name).toBe(name);
  });

  it('accepts a UTF-8 BOM in a CSV manifest, and in a JSON annotation file', async () => {
    const result = await runImport(manifest(['file,patient_id,name', 'a.jpeg,P1,Zoë'], 'utf8', Buffer.from([0xef, 0xbb, 0xbf])));
    expect(result.imported).toBe(1);
    expect(s.patients.list()[0]).toMatchObject({ externalId: 'P1', name: 'Zoë' });
    const vgg = join(work, 'labels.json');
    writeFileSync(vgg, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(sharedData('octid-deepeye', 'labels-vgg.json'))]));
    const convert = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'stratum.cjs'), 'convert', 'vgg', vgg, '--images', sharedData('octid-deepeye', 'images'), '--json'], { encoding: 'utf8' });
    expect(convert.stderr).not.toMatch(/not JSON|BAD_INPUT/);
    expect(convert.status).toBe(0);
  });

  it('refuses a Latin-1 manifest, naming the line and byte, instead of importing garbled names', async () => {
    const path = manifest(['file,patient_id,name', 'a.jpeg,P1,Ann', 'b.jpeg,P2,Ren\u00e9e'], 'latin1');
    await expect(s.importer.dryRun(path)).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('is not UTF-8 text: line 3 has the byte 0xE9') });
    const r = cli(path);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('probably Latin-1 or Windows-1252');
    expect(r.stderr).not.toContain('Ren');
    expect(s.scans.count()).toBe(0);
    expect(s.patients.count()).toBe(0);
  });

  it('names a UTF-16 manifest as such', async () => {
    const path = manifest(['file,patient_id', 'a.jpeg,P1'], 'utf16le', Buffer.from([0xff, 0xfe]));
    await expect(s.importer.dryRun(path)).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('is UTF-16 text') });
  });
});
