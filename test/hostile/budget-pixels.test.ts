import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INFERENCE_MAX_PIXELS, PIXEL_BUDGET } from '../../src-shared/domain/limits';
import { readImageHeader } from '../../src-main/services/import/pixel-budget';
import { REPO_ROOT, haveSharedData, sharedData } from '../../test-support/shared-data';
import { buildMain } from '../../test-support/main-build';

/**
 * Issue 13 item 5: one pixel budget for every entry point, checked from the header before decoding,
 * and bounded peak memory for the largest legal scan. Each run is a real CLI process; its peak RSS
 * (process.resourceUsage().maxRSS: the whole process, worker threads and native buffers included) is
 * printed on exit by a --require hook, so a decode or an inference of 49 MP cannot hide.
 */
const CLI = join(REPO_ROOT, 'bin', 'stratum.cjs');
const B_SCAN = sharedData('octid-unannotated', 'NORMAL', 'NORMAL40.jpeg');

let work: string;
let hook: string;
let zeros: string;

interface Run { status: number | null; stdout: string; stderr: string; maxRssMb: number; killedForMemory: boolean }

/** A run whose resident memory passes this is killed (a regression must fail the test, not the machine). */
const WATCHDOG_MB = 3072;

async function cli(...args: string[]): Promise<Run> {
  const child = spawn(process.execPath, ['--require', hook, CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let killedForMemory = false;
  const watchdog = setInterval(() => {
    try {
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (rss && Number(rss[1]) / 1024 > WATCHDOG_MB) {
        killedForMemory = true;
        child.kill('SIGKILL');
      }
    } catch {
      // no /proc (not Linux) or the process has just ended: the exit hook's maxRSS still counts
    }
  }, 20);
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  clearInterval(watchdog);
  const rss = /MAXRSS_KB (\d+)/.exec(stderr);
  return { status, stdout, stderr, maxRssMb: rss ? Number(rss[1]) / 1024 : Number.NaN, killedForMemory };
}

/** What a refusal must say: the code, the file, its size and the limit. */
function expectTooLarge(text: string): void {
  expect(text).toContain('TOO_LARGE');
  expect(text).toContain('zeros-7000.png');
  expect(text).toContain('7000x7000 is 49 megapixels');
  expect(text).toContain(`more than the ${PIXEL_BUDGET / 1e6} accepted`);
}

beforeAll(async () => {
  buildMain();
  work = mkdtempSync(join(tmpdir(), 'stratum-budget-'));
  hook = join(work, 'maxrss.cjs');
  writeFileSync(hook, "process.on('exit', () => require('node:fs').writeSync(2, `\\nMAXRSS_KB ${process.resourceUsage().maxRSS}\\n`));\n");
  mkdirSync(join(work, 'big'));
  zeros = join(work, 'big', 'zeros-7000.png');
  await sharp(Buffer.alloc(7000 * 7000), { raw: { width: 7000, height: 7000, channels: 1 } }).png({ compressionLevel: 9 }).toFile(zeros);
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the pixel budget', () => {
  it('is one number, above every real OCT image we hold, which all run through the network at their own size', async () => {
    expect(PIXEL_BUDGET).toBe(30_000_000);
    if (!haveSharedData()) return;
    const files = spawnSync('find', [sharedData(), '-type', 'f', '(', '-iname', '*.jp*g', '-o', '-iname', '*.png', '-o', '-iname', '*.tif*', ')'], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter(Boolean);
    expect(files.length).toBeGreaterThan(300);
    let largest = 0;
    for (const f of files) {
      const h = await readImageHeader(f).catch(() => null);
      if (h) largest = Math.max(largest, h.width * h.height);
    }
    expect(largest).toBeGreaterThan(400_000); // the OCTID 879x586 scans
    expect(largest).toBeLessThanOrEqual(INFERENCE_MAX_PIXELS);
    expect(largest * 50).toBeLessThan(PIXEL_BUDGET * 1.01);
  });

  it('refuses a 47 KB PNG that claims 7000x7000 at import, from its header, with TOO_LARGE, and imports nothing', async () => {
    expect(readFileSync(zeros).length).toBeLessThan(1_000_000);
    const home = join(work, 'home-import');
    const r = await cli('--home', home, 'import', join(work, 'big'), '--json');
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout.slice(0, r.stdout.lastIndexOf('}') + 1)) as { imported: number; failed: { code: string; path: string; message: string }[] };
    expect(out.imported).toBe(0);
    expect(out.failed).toHaveLength(1);
    expect(out.failed[0]!.code).toBe('TOO_LARGE');
    expectTooLarge(`${out.failed[0]!.code} ${out.failed[0]!.path}: ${out.failed[0]!.message}`);
    expect(r.maxRssMb).toBeLessThan(400);
    const dry = await cli('--home', home, 'import', '--dry-run', join(work, 'big'));
    expect(dry.status).toBe(1);
    expectTooLarge(dry.stdout);
  });

  it('refuses it at bare `segment` before decoding: TOO_LARGE, no output, no multi-GB RSS (was 13 GB)', async () => {
    const out = join(work, 'seg-out');
    const r = await cli('segment', zeros, '--out', out);
    expect(r.killedForMemory).toBe(false);
    expect(r.status).toBe(1);
    expectTooLarge(r.stderr);
    expect(r.stderr).not.toMatch(/onnxruntime|bad_alloc|Failed to allocate/i);
    expect(existsSync(join(out, 'zeros-7000.png'))).toBe(false);
    expect(r.maxRssMb).toBeLessThan(400);
  });

  it('refuses it at `report`, `evaluate` and `convert vgg` the same way', async () => {
    const report = await cli('report', zeros, '--png', join(work, 'report.png'));
    expect(report.status).not.toBe(0);
    expectTooLarge(report.stderr);
    expect(existsSync(join(work, 'report.png'))).toBe(false);
    expect(report.maxRssMb).toBeLessThan(400);

    mkdirSync(join(work, 'masks'), { recursive: true });
    const evaluate = await cli('evaluate', '--images', join(work, 'big'), '--masks', join(work, 'masks'));
    expect(evaluate.status).not.toBe(0);
    expectTooLarge(evaluate.stderr);
    expect(evaluate.maxRssMb).toBeLessThan(600);

    const labels = join(work, 'labels.json');
    const region = { shape_attributes: { name: 'polygon', all_points_x: [10, 600, 600, 10], all_points_y: [10, 10, 300, 300] }, region_attributes: { label: 'NFL' } };
    writeFileSync(labels, JSON.stringify({ 'zeros-7000.png': { filename: 'zeros-7000.png', size: 1, regions: [region], file_attributes: {} } }));
    const convert = await cli('convert', 'vgg', labels, '--images', join(work, 'big'), '--out', join(work, 'converted'));
    expect(convert.status).not.toBe(0);
    const said = `${convert.stdout}${convert.stderr}`;
    expect(said).toContain('zeros-7000.png');
    expect(said).toContain('7000x7000 is 49 megapixels');
    expect(said).toContain(`more than the ${PIXEL_BUDGET / 1e6} accepted`);
    expect(existsSync(join(work, 'converted', 'zeros-7000.png'))).toBe(false);
    expect(convert.maxRssMb).toBeLessThan(400);
  });

  it('segments the largest legal kind of scan (3300x2200, a real B-scan enlarged) with bounded memory, downscaled for the network and saying so', async () => {
    if (!haveSharedData()) return;
    const big = join(work, 'scan-3300.png');
    await sharp(B_SCAN).resize(3300, 2200).png().toFile(big);
    const out = join(work, 'seg-3300');
    const r = await cli('segment', big, '--out', out);
    expect(r.killedForMemory).toBe(false);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/segmented at \d+x\d+, downscaled to bound memory/);
    const json = JSON.parse(readFileSync(join(out, 'scan-3300.json'), 'utf8')) as { width: number; height: number; inferenceSize: { width: number; height: number }; flags: { reasons: string[] } };
    expect([json.width, json.height]).toEqual([3300, 2200]);
    expect(json.inferenceSize.width * json.inferenceSize.height).toBeLessThanOrEqual(INFERENCE_MAX_PIXELS);
    expect(json.flags.reasons.some((x) => x.includes('downscaled from 3300x2200'))).toBe(true);
    const labels = await sharp(join(out, 'scan-3300.png')).metadata();
    expect([labels.width, labels.height]).toEqual([3300, 2200]);
    // measured: 2.0 GB at full size before, 1.2 GB downscaled; the bound leaves room for other builds of ONNX Runtime
    expect(r.maxRssMb).toBeLessThan(1600);
  }, 300_000);
});
