import { execFileSync, fork } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalog } from './catalog-seed';
import { buildMain, expectClearError, ROOT, runCli } from './cli-run';

/**
 * Issue 13 items 8, 10 and 11 for report outputs: a batch PDF killed mid-write leaves no partial file
 * at its destination (temp file + rename); a control character in a file name no longer breaks the PNG
 * report (librsvg "PCDATA invalid Char"); a FIFO as the image, or /proc or a folder as a target, is
 * refused before any segmentation.
 */
const SCANS = 40;
let work: string;
let home: string;
let ids: number[];
let writer: string;

beforeAll(async () => {
  buildMain();
  work = mkdtempSync(join(tmpdir(), 'stratum-hostile-report-'));
  home = join(work, 'home');
  ids = await seedCatalog(home, Array.from({ length: SCANS }, (_, i) => ({ patientId: `P${i}`, originalPath: `/scans/NORMAL${i}\u0001.png` })));
  // Inside the package (dist/ is ignored), so the bundle finds package.json and resources/ as the app does.
  writer = join(ROOT, 'dist', 'hostile', 'batch-report-writer.cjs');
  await build({ entryPoints: [join(__dirname, 'batch-report-writer.ts')], bundle: true, platform: 'node', format: 'cjs', packages: 'external', outfile: writer, logLevel: 'error' });
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('batch report killed mid-write', () => {
  it('SIGKILL while pages stream into the combined PDF leaves nothing at reports.pdf', async () => {
    const dir = join(work, 'batch');
    const child = fork(writer, [home, dir, ids.join(',')], { env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const partial = await new Promise<{ name: string; size: number }>((resolve, reject) => {
      let pages = 0;
      child.on('message', (msg: { type: string }) => {
        if (msg.type === 'done') return reject(new Error('the batch finished before it could be killed'));
        if (++pages < 10) return;
        const tmp = readdirSync(dir).find((f) => f.endsWith('.tmp'));
        const size = tmp ? statSync(join(dir, tmp)).size : 0;
        const direct = existsSync(join(dir, 'reports.pdf')) ? statSync(join(dir, 'reports.pdf')).size : 0;
        if (size > 0 || direct > 0) {
          child.kill('SIGKILL');
          resolve({ name: tmp ?? 'reports.pdf', size: Math.max(size, direct) });
        }
      });
      child.on('exit', () => reject(new Error('the writer exited before it was killed')));
    });
    await new Promise((r) => child.once('exit', r));
    expect(partial.size).toBeGreaterThan(0);
    // What was written so far sits in the temp file; the destination does not exist at all.
    expect(existsSync(join(dir, 'reports.pdf'))).toBe(false);
    expect(partial.name).toMatch(/^\.reports\.pdf\..*\.tmp$/);
  }, 60_000);

  it('finished, the same batch is one complete PDF and no temp file is left', async () => {
    const dir = join(work, 'batch-done');
    const child = fork(writer, [home, dir, ids.slice(0, 3).join(',')], { env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    await new Promise((r) => child.once('exit', r));
    expect(readdirSync(dir)).toEqual(['reports.pdf']);
    const pdf = readFileSync(join(dir, 'reports.pdf'), 'latin1');
    expect(pdf.startsWith('%PDF')).toBe(true);
    expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
  }, 60_000);
});

describe('stratum report', () => {
  it('a control character in the file name: the PNG report renders (it failed in librsvg)', async () => {
    const image = join(work, 'scan\u0001\u001f<&>.jpeg');
    copyFileSync(join(ROOT, '..', 'shared', 'data', 'octid-deepeye', 'images', 'NORMAL1.jpeg'), image);
    const png = join(work, 'report.png');
    const run = runCli(['report', image, '--png', png, '--pdf', join(work, 'report.pdf')], { timeoutMs: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    expect((await sharp(png).metadata()).width).toBeGreaterThanOrEqual(1600);
    const text = execFileSync('pdftotext', [join(work, 'report.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('scan<&>.jpeg');
  });

  it('a catalog scan whose name holds a control character: PNG report too', async () => {
    const png = join(work, 'scan-report.png');
    const run = runCli(['report', '--scan', String(ids[0]), '--png', png], { home });
    expect(run.status, run.stderr).toBe(0);
    expect((await sharp(png).metadata()).format).toBe('png');
  });

  it('a FIFO as the image, or /proc, a folder or a FIFO as the target: refused before segmenting', () => {
    const pipe = join(work, 'image.fifo');
    execFileSync('mkfifo', [pipe]);
    expectClearError(runCli(['report', pipe, '--pdf', join(work, 'x.pdf')], { timeoutMs: 15_000 }), 'image.fifo', 'named pipe (FIFO)');
    expectClearError(runCli(['segment', pipe, '--out', join(work, 'seg')], { timeoutMs: 15_000 }), 'image.fifo', 'not a regular file');
    const image = join(work, 'ok.jpeg');
    copyFileSync(join(ROOT, '..', 'shared', 'data', 'octid-deepeye', 'images', 'NORMAL1.jpeg'), image);
    expectClearError(runCli(['report', image, '--pdf', '/proc/x.pdf'], { timeoutMs: 15_000 }), '/proc/x.pdf', 'system folder');
    mkdirSync(join(work, 'a-folder'));
    expectClearError(runCli(['report', image, '--png', join(work, 'a-folder')], { timeoutMs: 15_000 }), 'a-folder', 'not a regular file');
    const outPipe = join(work, 'out.fifo');
    execFileSync('mkfifo', [outPipe]);
    expectClearError(runCli(['report', image, '--json', outPipe], { timeoutMs: 15_000 }), 'out.fifo', 'named pipe');
    writeFileSync(join(work, 'keep.txt'), 'x');
    expect(readFileSync(join(work, 'keep.txt'), 'utf8')).toBe('x');
  });
});
