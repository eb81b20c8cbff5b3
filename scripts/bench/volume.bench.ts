// `npm run bench volume` (issue 19): the volume and batch figures, each against its target.
// (a) the Heidelberg XML volume (145 B-scans) imported into a fresh temporary catalog and segmented, in this
//     process, through the app's own path (ImportService.run in an import job, then segmentSeries in a segment
//     job, as `stratum segment --scan` and the viewer's Segment run it); import and segmentation timed apart,
//     with the peak RSS of each phase (sampled; threads are in the process, so the inference and series
//     workers count) and the process's maxRSS.
// (b) `stratum import --segment` of the 60 OCTID scans into a fresh data folder, as a child process.
// (c) a cold `stratum segment <one image> --out DIR --json` (fresh process each), median of 5, with the stage
//     timings the result's JSON carries.
// The load average is printed before and after: on a shared machine the figures are under that load.
// STRATUM_CLI=/path/to/bin/stratum.cjs times another build for (b) and (c); BENCH_RUNS sets (c)'s runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createServices, type Services } from '../../src-main/services/container';
import { segmentSeries } from '../../src-main/services/segmentation/series-segmentation';

const CLI = resolve(process.env.STRATUM_CLI ?? 'bin/stratum.cjs');
const VOLUME = resolve('..', 'shared', 'data', 'formats', 'heyex-xml-volume');
const OCTID = resolve('..', 'shared', 'data', 'octid-unannotated');
const RUNS = Number(process.env.BENCH_RUNS) || 5;
const TARGET = { volumeSegment: 8, octid: 6, cold: 0.4 };
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');
const verdict = (s: number, target: number) => (s < target ? 'within target' : `OVER target by ${(s - target).toFixed(2)} s`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** CPU seconds of the main thread so far (Linux: /proc; null elsewhere): what the event loop spends beside the workers. */
function mainThreadCpu(): number | null {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime in clock ticks (USER_HZ 100)
  } catch {
    return null;
  }
}

/** Peak RSS of the process while `body` runs (sampled every 20 ms; maxRSS alone cannot tell phases apart). */
async function peakRss<T>(body: () => Promise<T>): Promise<{ value: T; peak: number; seconds: number; cpu: number; mainCpu: number | null }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const t0 = performance.now();
  const c0 = process.cpuUsage(); // all threads of the process: main, workers, ONNX Runtime's and libvips' pools
  const m0 = mainThreadCpu();
  try {
    const value = await body();
    peak = Math.max(peak, process.memoryUsage.rss());
    const c = process.cpuUsage(c0);
    const m1 = mainThreadCpu();
    return { value, peak, seconds: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6, mainCpu: m0 === null || m1 === null ? null : m1 - m0 };
  } finally {
    clearInterval(timer);
  }
}

async function job<T>(s: Services, start: () => string): Promise<T> {
  const end = await s.jobs.wait(start());
  if (end.state !== 'done') throw new Error(`job ${end.kind} ended ${end.state}: ${end.error?.message ?? ''}`);
  return end.result as T;
}

async function volume(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'stratum-bench-volume-'));
  const s = createServices({ home, host: 'node' });
  try {
    const imported = await peakRss(() => job<{ scanIds: number[] }>(s, () => s.jobs.start('import', 'bench', (ctx) => s.importer.run(VOLUME, {}, ctx))));
    const scanId = imported.value.scanIds[0];
    if (scanId === undefined) throw new Error(`nothing imported from ${VOLUME}`);
    const n = s.scans.require(scanId).bscanCount;
    // the model loads in the segment job's first step, as in `stratum segment --scan` (timed apart below)
    const loaded = await peakRss(() => s.segmentation.load());
    const segmented = await peakRss(() => job<{ bscans: { segmented: number } }>(s, () => s.jobs.start('segment', 'bench', (ctx) => segmentSeries(s, scanId, ctx))));
    console.log(`(a) heyex XML volume, ${n} B-scans, in-process (ImportService.run, then segmentSeries):`);
    console.log(`    import (decode + PNG store + catalog rows): ${imported.seconds.toFixed(2)} s (${((imported.seconds * 1000) / n).toFixed(0)} ms/B-scan), CPU ${imported.cpu.toFixed(1)} s; peak RSS ${mb(imported.peak)}`);
    console.log(`    model load (inference worker start + session): ${loaded.seconds.toFixed(2)} s`);
    console.log(`    segmentation of ${segmented.value.bscans.segmented} B-scans: ${segmented.seconds.toFixed(2)} s (${((segmented.seconds * 1000) / n).toFixed(0)} ms/B-scan), CPU ${segmented.cpu.toFixed(1)} s${segmented.mainCpu === null ? '' : ` (main thread ${segmented.mainCpu.toFixed(1)} s)`}; target < ${TARGET.volumeSegment} s: ${verdict(segmented.seconds, TARGET.volumeSegment)}; peak RSS ${mb(segmented.peak)}`);
    const total = imported.seconds + loaded.seconds + segmented.seconds;
    console.log(`    import + load + segmentation: ${total.toFixed(2)} s; process maxRSS ${mb(process.resourceUsage().maxRSS * 1024)} (main thread and workers together)`);
    const stages = stageTotals(s, scanId);
    // onnxruntime-node runs a session synchronously on the calling thread (inside a setImmediate), so the
    // worker's 'inference' timer also holds the previous B-scan's post-processing, which runs before it
    if (stages) console.log(`    worker stage sums over the B-scans (ms): ${stages} (postprocess + thickness run in their own thread, beside the next B-scan's inference)`);
  } finally {
    await s.close();
    rmSync(home, { recursive: true, force: true });
  }
}

/** Sum of each stored summary's stage timings over a series' B-scans: where the worker's time went. */
function stageTotals(s: Services, scanId: number): string | null {
  const rows = s.db.prepare('SELECT summary_json FROM segmentations WHERE scan_id = ?').all(scanId) as { summary_json: string }[];
  if (!rows.length) return null;
  const sums: Record<string, number> = {};
  for (const r of rows) {
    const t = (JSON.parse(r.summary_json) as { timings?: Record<string, number> }).timings ?? {};
    for (const [k, v] of Object.entries(t)) if (!['batch', 'runsPerImage'].includes(k)) sums[k] = (sums[k] ?? 0) + v;
  }
  return Object.entries(sums).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ');
}

interface Child {
  seconds: number;
  maxRssKb: number | null;
  cpuSeconds: number | null;
  stdout: string;
}

function child(args: string[], home: string): Child {
  const [cmd, argv] = GNU_TIME ? [GNU_TIME, ['-f', 'bench-time %U %S %M', process.execPath, CLI, ...args]] : [process.execPath, [CLI, ...args]];
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, { encoding: 'utf8', env: { ...process.env, STRATUM_HOME: home }, maxBuffer: 64 << 20 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`stratum ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const m = /bench-time ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(r.stderr ?? '');
  return { seconds, maxRssKb: m ? Number(m[3]) : null, cpuSeconds: m ? Number(m[1]) + Number(m[2]) : null, stdout: r.stdout };
}

function octid(): void {
  const home = mkdtempSync(join(tmpdir(), 'stratum-bench-octid-'));
  try {
    const r = child(['import', OCTID, '--segment', '--json'], home);
    const out = JSON.parse(r.stdout) as { imported: number; segmentation?: { message: string } };
    const rss = r.maxRssKb === null ? '' : `; max RSS ${mb(r.maxRssKb * 1024)}, CPU ${r.cpuSeconds!.toFixed(1)} s`;
    console.log(`(b) stratum import --segment, ${out.imported} OCTID scans, fresh data folder: ${r.seconds.toFixed(2)} s wall (${out.segmentation?.message ?? 'no segmentation'}); target < ${TARGET.octid} s: ${verdict(r.seconds, TARGET.octid)}${rss}`);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

function cold(): void {
  const image = join(OCTID, 'NORMAL', readdirSync(join(OCTID, 'NORMAL')).sort()[0]!);
  const home = mkdtempSync(join(tmpdir(), 'stratum-bench-cold-'));
  try {
    const runs: { seconds: number; cpu: number | null; rss: number | null; inner: number; timings: Record<string, number> }[] = [];
    child(['segment', image, '--out', join(home, 'warm'), '--json'], home); // the disk cache warm, as a second run finds it
    for (let i = 0; i < RUNS; i++) {
      const out = join(home, `out-${i}`);
      const r = child(['segment', image, '--out', out, '--json'], home);
      const printed = JSON.parse(r.stdout) as { seconds: number; results: { json?: string }[] };
      const file = printed.results[0]?.json;
      const timings = file ? ((JSON.parse(readFileSync(file, 'utf8')) as { timings?: Record<string, number> }).timings ?? {}) : {};
      runs.push({ seconds: r.seconds, cpu: r.cpuSeconds, rss: r.maxRssKb, inner: printed.seconds, timings });
    }
    const m = median(runs.map((r) => r.seconds));
    const mid = [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)]!;
    const cpu = runs.flatMap((r) => (r.cpu === null ? [] : [r.cpu]));
    console.log(`(c) cold \`stratum segment <one image>\` (fresh process), median of ${RUNS}: ${m.toFixed(3)} s wall (min ${Math.min(...runs.map((r) => r.seconds)).toFixed(3)}, max ${Math.max(...runs.map((r) => r.seconds)).toFixed(3)})${cpu.length ? `, CPU ${median(cpu).toFixed(2)} s` : ''}; target < ${TARGET.cold} s: ${verdict(m, TARGET.cold)}`);
    console.log(`    median run: command body ${mid.inner.toFixed(3)} s (the rest is Node start + CLI load); stages (ms) ${JSON.stringify(mid.timings)}${mid.rss === null ? '' : `; max RSS ${mb(mid.rss * 1024)}`}`);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

void (async () => {
  console.log(`load average before: ${load()} (a shared machine: the figures are under this load)`);
  const only = process.env.STRATUM_BENCH_ONLY; // a, b or c: one part alone (profiling)
  if (!only || only === 'a') await volume();
  if (!only || only === 'b') octid();
  if (!only || only === 'c') cold();
  console.log(`load average after: ${load()}`);
})().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
