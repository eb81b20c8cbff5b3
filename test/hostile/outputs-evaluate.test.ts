import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMain, expectClearError, ROOT, runCli } from './cli-run';

/**
 * Issue 13 item 10 through `stratum evaluate`: one oversized (or FIFO) image is named and skipped while
 * the rest is scored (exit 1), and `--out` is checked before the work instead of failing after it.
 */
const DATA = join(ROOT, '..', 'shared', 'data', 'octid-deepeye');
let work: string;
let images: string;
let labels: string;

beforeAll(async () => {
  buildMain();
  work = mkdtempSync(join(tmpdir(), 'stratum-hostile-evaluate-'));
  images = join(work, 'images');
  mkdirSync(images);
  copyFileSync(join(DATA, 'images', 'NORMAL1.jpeg'), join(images, 'NORMAL1.jpeg'));
  // 8000 x 8000 zeros: a small file far beyond the pixel budget.
  await sharp(Buffer.alloc(8000 * 8000), { raw: { width: 8000, height: 8000, channels: 1 } }).png().toFile(join(images, 'huge.png'));
  execFileSync('mkfifo', [join(images, 'pipe.png')]);
  const band = { shape_attributes: { name: 'polygon', all_points_x: [0, 749, 749, 0], all_points_y: [300, 300, 320, 320] }, region_attributes: { label: 'RPE' } };
  labels = join(work, 'labels.json');
  writeFileSync(labels, JSON.stringify({ 'NORMAL1.jpeg': { filename: 'NORMAL1.jpeg', regions: [band] }, 'huge.png': { filename: 'huge.png', regions: [band] }, 'pipe.png': { filename: 'pipe.png', regions: [band] } }));
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const evaluate = (...extra: string[]) => runCli(['evaluate', '--images', images, '--vgg', labels, '--against-vgg', labels, ...extra], { timeoutMs: 30_000 });

describe('evaluate: a bad image does not abort the run', () => {
  it('names the oversized and the FIFO image, scores the rest, exits 1', () => {
    const run = evaluate('--json');
    expectClearError(run, 'huge.png', '8000x8000', 'pipe.png', 'not a regular file');
    const report = JSON.parse(run.stdout) as { images: number; imageNames: string[]; failed: { image: string }[] };
    expect(report.imageNames).toEqual(['NORMAL1.jpeg']);
    expect(report.failed.map((f) => f.image).sort()).toEqual(['huge.png', 'pipe.png']);
  });
});

describe('evaluate --out', () => {
  it('into a folder that does not exist yet: created, the report written', () => {
    const out = join(work, 'not', 'yet', 'report.json');
    evaluate('--out', out);
    expect(JSON.parse(readFileSync(out, 'utf8')).imageNames).toEqual(['NORMAL1.jpeg']);
  });

  it('below a file, or onto a folder or /proc: refused before any work, with what and where', () => {
    const file = join(work, 'a-file.txt');
    writeFileSync(file, 'x');
    const below = evaluate('--out', join(file, 'report.json'));
    expectClearError(below, 'a-file.txt', 'not a folder');
    expect(below.stdout).toBe('');
    expectClearError(evaluate('--out', images), 'a folder, not a regular file');
    expectClearError(evaluate('--out', '/proc/self/x.json'), 'system folder');
    expect(existsSync(file)).toBe(true);
  });
});
