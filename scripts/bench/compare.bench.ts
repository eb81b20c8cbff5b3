// `npm run bench compare`: Stratum against the original pipeline, side by side in one run, over the same
// 60 OCTID scans (../shared/data/octid-unannotated/NORMAL). Each side is a fresh process, timed from spawn
// to exit (process start, model load, decode, writing the label PNGs included):
//   - `stratum segment --out DIR <images>` as a user runs it (on CPU: the int8 variant), and once more with
//     STRATUM_PRECISION=float32 (the float model: the figure before int8);
//   - the original pipeline (training/original_pipeline: the seed's UNet 16-32-64-128-256, 640x640 squash,
//     per-column L2 normalisation) on PyTorch CPU, with random weights (a timing, not an accuracy).
// Rounds alternate the order; medians are printed with the ratio (target <= 0.25) and the load average.
// STRATUM_BENCH_ROUNDS (3), STRATUM_PYTHON (/usr/bin/python3), STRATUM_BENCH_COMPARE_FLOAT=0 skips the float run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve('.');
const dataDir = resolve(process.env.STRATUM_BENCH_DATA ?? '../shared/data/octid-unannotated/NORMAL');
const images = readdirSync(dataDir).filter((f) => /\.(jpe?g|png|tiff?)$/i.test(f)).sort().map((f) => join(dataDir, f));
const rounds = Number(process.env.STRATUM_BENCH_ROUNDS ?? 3);
const python = process.env.STRATUM_PYTHON ?? '/usr/bin/python3';
const withFloat = process.env.STRATUM_BENCH_COMPARE_FLOAT !== '0';
const work = mkdtempSync(join(tmpdir(), 'stratum-compare-'));

function torchVersion(): { ok: true; version: string } | { ok: false; why: string } {
  const r = spawnSync(python, ['-c', 'import torch, sys; sys.stdout.write(torch.__version__)'], { encoding: 'utf8' });
  if (r.error) return { ok: false, why: `${python}: ${r.error.message}` };
  if (r.status !== 0) return { ok: false, why: (r.stderr.trim().split('\n').pop() ?? 'import torch failed').slice(0, 200) };
  return { ok: true, version: r.stdout.trim() };
}

/** GNU time, where installed: the CPU seconds (user + system) a side used, which a busy machine inflates far less than wall time. */
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

interface Timing {
  wall: number;
  cpu: number | null;
}

/** Seconds from spawn to exit (and CPU seconds); throws with the command's last stderr lines when it fails. */
function timed(label: string, cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Timing {
  const cpuFile = join(work, 'cpu.txt');
  const [c, a] = gnuTime ? [gnuTime, ['-f', '%U %S', '-o', cpuFile, cmd, ...args]] : [cmd, args];
  const t0 = performance.now();
  const r = spawnSync(c, a, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${label} failed (${r.status ?? r.signal}): ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}`);
  const cpu = gnuTime ? readFileSync(cpuFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number).reduce((x, y) => x + y, 0) : null;
  return { wall, cpu };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function main(): void {
  if (images.length === 0) throw new Error(`no images in ${dataDir}`);
  if (!existsSync(join(root, 'dist', 'main', 'cli.cjs'))) throw new Error('dist/main/cli.cjs is missing: run `npm run build:main` first');
  const torch = torchVersion();
  console.log(`PyTorch available: ${torch.ok ? `yes (torch ${torch.version}, ${python})` : `no (${torch.why})`}`);
  console.log(`${images.length} images from ${dataDir}; ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}); ${rounds} rounds`);
  const loads = [loadavg()[0]!];
  const times: Record<'stratum' | 'float' | 'original', Timing[]> = { stratum: [], float: [], original: [] };
  const stratum = (r: number, env: NodeJS.ProcessEnv, tag: string) =>
    timed(`stratum segment (${tag})`, process.execPath, [join(root, 'bin', 'stratum.cjs'), '--home', join(work, 'home'), 'segment', '--out', join(work, `${tag}-${r}`), ...images], root, env);
  const original = (r: number) => timed('original pipeline', python, ['-m', 'original_pipeline.segment', '--out', join(work, `original-${r}`), ...images], join(root, 'training'));
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? ['stratum', 'float', 'original'] : ['original', 'float', 'stratum'];
    for (const which of order) {
      if (which === 'stratum') times.stratum.push(stratum(r, process.env, 'stratum'));
      else if (which === 'float' && withFloat) times.float.push(stratum(r, { ...process.env, STRATUM_PRECISION: 'float32' }, 'float'));
      else if (which === 'original' && torch.ok) times.original.push(original(r));
    }
    loads.push(loadavg()[0]!);
    const line = Object.entries(times).filter(([, v]) => v[r] !== undefined).map(([k, v]) => `${k} ${v[r]!.wall.toFixed(2)} s${v[r]!.cpu === null ? '' : ` (CPU ${v[r]!.cpu!.toFixed(1)} s)`}`).join(', ');
    console.log(`  round ${r + 1}: ${line}; load average ${loads[loads.length - 1]!.toFixed(2)}`);
  }
  const wall = (k: keyof typeof times) => median(times[k].map((t) => t.wall));
  const cpu = (k: keyof typeof times) => (gnuTime ? median(times[k].map((t) => t.cpu!)) : NaN);
  const cpuText = (k: keyof typeof times) => (gnuTime ? `, CPU ${cpu(k).toFixed(1)} s` : '');
  const s = wall('stratum');
  console.log(`\nstratum segment (as shipped; on CPU the int8 variant), process start included: median ${s.toFixed(2)} s${cpuText('stratum')}`);
  if (withFloat) console.log(`stratum segment with STRATUM_PRECISION=float32 (the float model):        median ${wall('float').toFixed(2)} s${cpuText('float')}`);
  if (torch.ok) {
    const o = wall('original');
    const ratio = s / o;
    console.log(`original pipeline on PyTorch CPU (random weights: timing only):            median ${o.toFixed(2)} s${cpuText('original')}`);
    console.log(`ratio stratum / original, wall: ${ratio.toFixed(3)} (target <= 0.25: ${ratio <= 0.25 ? 'met' : 'NOT met'})${withFloat ? `; float32: ${(wall('float') / o).toFixed(3)}` : ''}`);
    if (gnuTime) console.log(`ratio stratum / original, CPU seconds: ${(cpu('stratum') / cpu('original')).toFixed(3)}${withFloat ? `; float32: ${(cpu('float') / cpu('original')).toFixed(3)}` : ''}`);
  } else {
    console.log('original pipeline: not run (no PyTorch); no ratio');
  }
  console.log(`load average (1 min) during the run: ${Math.min(...loads).toFixed(2)}-${Math.max(...loads).toFixed(2)} on ${availableParallelism()} cores`);
}

try {
  main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
