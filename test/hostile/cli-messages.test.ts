/**
 * The CLI speaks in import's words, never the image library's: a 0-byte file, a cut JPEG and a text file
 * named .png get the reasons import gives ("The file is empty (0 bytes)", ...), not "unsupported image
 * format", raw VipsJpeg lines or "Warning treated as error due to failOn setting". A JPEG with a few stray
 * bytes before a marker, which import accepts, segments and reports everywhere (it used to fail with the
 * decoder's warning). `import --segment` shows its progress and says what it did, not "queued".
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveSharedData, sharedData } from '../../test-support/shared-data';
import { buildMain, expectClearError, runCli } from './cli-run';

const NORMAL = sharedData('octid-unannotated', 'NORMAL');
const have = haveSharedData('octid-unannotated', 'NORMAL');
const LIBRARY_WORDING = /VipsJpeg|vips_|Warning treated as error|failOn|unsupported image format|Input (file|buffer)/i;

let work: string;
let bad: string;
let good: string;
let stray: string;

beforeAll(() => {
  if (!have) return;
  buildMain();
  work = mkdtempSync(join(tmpdir(), 'stratum-cli-messages-'));
  bad = join(work, 'bad');
  mkdirSync(bad);
  good = join(work, 'good.jpeg');
  copyFileSync(join(NORMAL, readdirSync(NORMAL).sort()[0]!), good);
  const jpeg = readFileSync(good);
  writeFileSync(join(bad, 'empty.jpeg'), '');
  writeFileSync(join(bad, 'cut.jpeg'), jpeg.subarray(0, 3000));
  writeFileSync(join(bad, 'text.png'), 'not an image at all\n');
  // five stray bytes after the first 600: libjpeg warns "5 extraneous bytes before marker" and decodes the rest
  stray = join(work, 'stray', 'stray.jpeg');
  mkdirSync(join(work, 'stray'));
  writeFileSync(stray, Buffer.concat([jpeg.subarray(0, 600), Buffer.from([1, 2, 3, 4, 5]), jpeg.subarray(600)]));
}, 120_000);

afterAll(() => {
  if (have) rmSync(work, { recursive: true, force: true });
});

const REASONS: [string, string][] = [
  ['empty.jpeg', 'The file is empty (0 bytes)'],
  ['cut.jpeg', 'The JPEG file is cut short'],
  ['text.png', 'Not a readable image (the content is not JPEG, PNG, TIFF or BMP)'],
];

describe.skipIf(!have)('clean messages', () => {
  it.each(REASONS)('segment and report of %s give the reason import gives, in plain words', (name, reason) => {
    const file = join(bad, name);
    const seg = runCli(['segment', file, '--out', join(work, 'out')], { timeoutMs: 60_000 });
    expect(seg.status).toBe(1);
    expectClearError(seg, `${file}: ${reason}`);
    expect(seg.stderr).not.toMatch(LIBRARY_WORDING);
    const rep = runCli(['report', file, '--pdf', join(work, 'r.pdf')], { timeoutMs: 60_000 });
    expectClearError(rep, `${file}: ${reason}`);
    expect(rep.stderr).not.toMatch(LIBRARY_WORDING);
  });

  it('import names the same reasons, without the decoder words', () => {
    const r = runCli(['import', bad, '--dry-run', '--json'], { timeoutMs: 60_000 });
    const failed = (JSON.parse(r.stdout) as { failed: { path: string; message: string }[] }).failed;
    for (const [name, reason] of REASONS) expect(failed.find((f) => f.path.endsWith(name))?.message).toContain(reason);
    expect(r.stdout).not.toMatch(LIBRARY_WORDING);
  });

  it('a JPEG with stray bytes that import accepts also segments and reports (image and catalog scan)', () => {
    const seg = runCli(['segment', stray, '--out', join(work, 'out')], { timeoutMs: 120_000 });
    expect(seg.status, seg.stderr).toBe(0);
    expect(runCli(['report', stray, '--pdf', join(work, 'stray.pdf')], { timeoutMs: 120_000 }).status).toBe(0);
    const home = join(work, 'home');
    const imp = runCli(['import', join(work, 'stray'), '--segment'], { home, timeoutMs: 120_000 });
    expect(imp.status, imp.stderr).toBe(0);
    expect(imp.stdout).toContain('segment: segmented 1 new scan\n');
    const rep = runCli(['report', '--scan', '1', '--pdf', join(work, 'stray-scan.pdf')], { home, timeoutMs: 120_000 });
    expect(rep.status, rep.stderr).toBe(0);
  });

  it('import --segment shows its progress and says what it did, never "queued"', () => {
    const src = join(work, 'three');
    mkdirSync(src);
    for (const f of readdirSync(NORMAL).sort().slice(1, 4)) copyFileSync(join(NORMAL, f), join(src, f));
    const r = runCli(['import', src, '--segment'], { home: join(work, 'home3'), timeoutMs: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^Importing/m);
    expect(r.stderr).toMatch(/^Segmenting: 0\/3 new scans$/m);
    expect(r.stdout).toContain('segment: segmented 3 new scans');
    expect(r.stdout + r.stderr).not.toMatch(/queued/i);
    expect(r.stdout).toContain('0 duplicates');
    const again = runCli(['import', src], { home: join(work, 'home3'), timeoutMs: 60_000 });
    expect(again.stdout).toContain('3 duplicates');
    const one = join(work, 'one');
    mkdirSync(one);
    copyFileSync(join(src, readdirSync(src)[0]!), join(one, 'x.jpeg'));
    expect(runCli(['import', one], { home: join(work, 'home3'), timeoutMs: 60_000 }).stdout).toContain(' 1 duplicate,');
  });
});
