import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMain, expectClearError, ROOT, runCli } from './cli-run';

/**
 * Issue 13 items 7, 8, 10 and 11 through `stratum convert`: hostile annotation files, COCO entries and
 * paths each end in a clear error naming the file and the entry (no stack trace, no hang, nothing
 * allocated for a 10^10-pixel mask), the user's files are untouched, and a batch carries on.
 */
const IMAGES = join(ROOT, '..', 'shared', 'data', 'octid-deepeye', 'images');
let work: string;

beforeAll(() => {
  buildMain();
  work = mkdtempSync(join(tmpdir(), 'stratum-hostile-convert-'));
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const file = (name: string, content: string) => {
  const p = join(work, name);
  writeFileSync(p, content);
  return p;
};
const fifo = (name: string) => {
  const p = join(work, name);
  execFileSync('mkfifo', [p]);
  return p;
};
const region = (label: string, xs: number[], ys: number[]) => ({ shape_attributes: { name: 'polygon', all_points_x: xs, all_points_y: ys }, region_attributes: { label } });
const vgg = (regions: unknown[]) => JSON.stringify({ 'NORMAL1.jpeg': { filename: 'NORMAL1.jpeg', regions } });
const band = region('RPE', [0, 749, 749, 0], [300, 300, 320, 320]);

function coco(patch: (c: Record<string, unknown[]>) => void): string {
  const c: Record<string, unknown[]> = {
    images: [{ id: 1, file_name: 'NORMAL1.jpeg', width: 750, height: 500 }],
    annotations: [{ id: 1, image_id: 1, category_id: 7, segmentation: [[0, 300, 749, 300, 749, 320, 0, 320]] }],
    categories: [{ id: 7, name: 'RPE' }],
  };
  patch(c);
  return JSON.stringify(c);
}

describe('convert vgg: limits', () => {
  it('refuses a polygon of 10^6 points in seconds, naming the file and the region', () => {
    const n = 1_000_000;
    const labels = file('million.json', vgg([band, region('NFL', Array.from({ length: n }, (_, i) => i % 750), Array.from({ length: n }, (_, i) => 100 + (i % 7)))]));
    const run = runCli(['convert', 'vgg', labels, '--images', IMAGES, '--out', join(work, 'm1')]);
    expectClearError(run, 'million.json', '"NORMAL1.jpeg" region 1', '1000000 points', '[TOO_LARGE]');
    expect(run.ms).toBeLessThan(10_000);
    expect(existsSync(join(work, 'm1', 'NORMAL1.png'))).toBe(false);
  });

  it('refuses an annotation file over the size limit without reading it', () => {
    const huge = join(work, 'huge.json');
    execFileSync('truncate', ['-s', '300M', huge]);
    const run = runCli(['convert', 'vgg', huge, '--images', IMAGES]);
    expectClearError(run, 'huge.json', '300 MB', '[TOO_LARGE]');
    expect(run.ms).toBeLessThan(5000);
  });

  it('refuses more regions per image than any real export has', () => {
    const labels = file('regions.json', vgg(Array.from({ length: 6000 }, () => band)));
    expectClearError(runCli(['convert', 'vgg', labels, '--images', IMAGES]), 'regions.json', '"NORMAL1.jpeg" has 6000 regions', '[TOO_LARGE]');
  });

  it('refuses a 1e308 coordinate instead of crashing the layer audit', () => {
    const labels = file('wild.json', vgg([band, region('NFL', [0, 1e308, 10], [0, 5, 10])]));
    expectClearError(runCli(['convert', 'vgg', labels, '--images', IMAGES]), 'wild.json', '"NORMAL1.jpeg" region 1', 'coordinate 1e+308', '[BAD_INPUT]');
  });
});

describe('convert: no file content in errors', () => {
  it('a non-JSON file (/etc/shadow and a look-alike) is refused without echoing a byte of it', () => {
    const secret = file('shadow', 'root:$6$S3CRETSALT$HASHHASHHASH:19000:0:99999:7:::\n');
    const run = runCli(['convert', 'vgg', secret, '--images', IMAGES]);
    expectClearError(run, 'shadow: not JSON', 'line 1, column 1');
    expect(run.stderr).not.toMatch(/root|S3CRET|HASH/);
    if (existsSync('/etc/shadow')) {
      const real = runCli(['convert', 'vgg', '/etc/shadow', '--images', IMAGES]);
      expectClearError(real, '/etc/shadow');
      expect(real.stderr).not.toContain('root:');
    }
  });
});

describe('convert coco: malformed entries', () => {
  const cases: [string, (c: Record<string, unknown[]>) => void, string[]][] = [
    ['null category', (c) => (c.categories = [null]), ['category 0 is not']],
    ['null image', (c) => (c.images = [null]), ['image 0 is not']],
    ['null annotation', (c) => (c.annotations = [null]), ['annotation 0 is not an object']],
    ['numeric file_name', (c) => (c.images = [{ id: 1, file_name: 123, width: 750, height: 500 }]), ['image 1 has file_name "123"']],
    ['negative width', (c) => (c.images = [{ id: 1, file_name: 'gone.png', width: -750, height: 500 }]), ['image 1 ("gone.png")', '-750x500 is not an image size', '[BAD_INPUT]']],
    ['fractional height', (c) => (c.images = [{ id: 1, file_name: 'gone.png', width: 750, height: 500.5 }]), ['750x500.5 is not an image size']],
    ['10^5 x 10^5', (c) => (c.images = [{ id: 1, file_name: 'gone.png', width: 100_000, height: 100_000 }]), ['100000x100000 is 10000 megapixels', '[TOO_LARGE]']],
  ];
  for (const [name, patch, fragments] of cases) {
    it(`${name}: a clear error naming the file and the entry`, () => {
      const path = file(`${name.replace(/\W+/g, '-')}.json`, coco(patch));
      const run = runCli(['convert', 'coco', path, '--images', IMAGES, '--out', join(work, 'coco-out')]);
      expectClearError(run, path, ...fragments);
      expect(run.ms).toBeLessThan(10_000);
    });
  }

  it('a bad file in a batch is refused and the good one still converts (exit 1)', () => {
    const good = file('good-coco.json', coco(() => undefined));
    const bad = file('bad-coco.json', coco((c) => (c.categories = [null])));
    const out = join(work, 'coco-batch');
    const run = runCli(['convert', 'coco', bad, good, '--images', IMAGES, '--out', out]);
    expectClearError(run, 'bad-coco.json', 'category 0');
    expect(existsSync(join(out, 'NORMAL1.png'))).toBe(true);
  });
});

describe('convert: paths', () => {
  it('--out onto an existing file is refused and the file left as it was', () => {
    const existing = file('existing.txt', 'keep me');
    expectClearError(runCli(['convert', 'vgg', file('one.json', vgg([band])), '--images', IMAGES, '--out', existing]), 'existing.txt', 'not a folder');
    expect(readFileSync(existing, 'utf8')).toBe('keep me');
  });

  it('--out under /proc is refused at once (it used to loop forever)', () => {
    const run = runCli(['convert', 'vgg', file('one.json', vgg([band])), '--images', IMAGES, '--out', '/proc/x'], { timeoutMs: 15_000 });
    expectClearError(run, '/proc/x', 'system folder');
  });

  it('a FIFO as labels, class file or images folder is refused up front, never opened', () => {
    const labels = fifo('labels.fifo');
    expectClearError(runCli(['convert', 'vgg', labels, '--images', IMAGES], { timeoutMs: 15_000 }), 'labels.fifo', 'named pipe (FIFO)');
    expectClearError(runCli(['convert', 'vgg', file('one.json', vgg([band])), '--images', IMAGES, '--classes', fifo('classes.fifo')], { timeoutMs: 15_000 }), 'classes.fifo', 'named pipe');
    expectClearError(runCli(['convert', 'coco', fifo('coco.fifo'), '--images', IMAGES, '--out', join(work, 'x')], { timeoutMs: 15_000 }), 'coco.fifo', 'named pipe');
    expectClearError(runCli(['convert', 'vgg', file('one.json', vgg([band])), '--images', fifo('images.fifo')], { timeoutMs: 15_000 }), 'images.fifo', 'not a folder');
  });

  it('a FIFO posing as a reference mask fails that image only, without hanging', () => {
    const compare = join(work, 'compare');
    mkdirSync(compare);
    execFileSync('mkfifo', [join(compare, 'NORMAL1.png')]);
    const run = runCli(['convert', 'vgg', file('one.json', vgg([band])), '--images', IMAGES, '--compare', compare], { timeoutMs: 15_000 });
    expectClearError(run, '1 image(s) failed');
    expect(run.stdout).toContain('named pipe');
  });

  it('to-vgg and --propose-corrections refuse to replace an existing file unless --force', async () => {
    const masks = join(work, 'masks-for-to-vgg');
    mkdirSync(masks);
    const data = new Uint8Array(750 * 500);
    data.fill(7, 300 * 750, 320 * 750);
    await sharp(data, { raw: { width: 750, height: 500, channels: 1 } }).toColourspace('b-w').png().toFile(join(masks, 'NORMAL1.png'));
    const out = file('labels-out.json', 'a labels file someone made');
    expectClearError(runCli(['convert', 'to-vgg', masks, '--out', out]), 'labels-out.json', 'already exists', '--force');
    expect(readFileSync(out, 'utf8')).toBe('a labels file someone made');
    expect(runCli(['convert', 'to-vgg', masks, '--out', out, '--force']).status).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(out, 'utf8')))).toEqual(['NORMAL1.jpeg']);

    const proposals = file('proposals.json', 'reviewed by a person');
    expectClearError(runCli(['convert', 'vgg', file('one.json', vgg([band])), '--images', IMAGES, '--propose-corrections', proposals]), 'proposals.json', '--force');
    expect(readFileSync(proposals, 'utf8')).toBe('reviewed by a person');
  });
});

describe('convert vgg: masks', () => {
  it('writes single-channel class-index PNGs (issue 14: they were RGB)', async () => {
    const out = join(work, 'masks-channels');
    const run = runCli(['convert', 'vgg', file('one.json', vgg([band])), '--images', IMAGES, '--out', out]);
    expect(run.status, run.stderr).toBe(0);
    const meta = await sharp(join(out, 'NORMAL1.png')).metadata();
    expect(meta.channels).toBe(1);
    const { data } = await sharp(join(out, 'NORMAL1.png')).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    expect(data[310 * 750 + 10]).toBe(7);
    expect(data[0]).toBe(0);
  });
});
