// `npm run bench cli-startup`: wall time of `stratum --help`, `info` and `list` started the way a user
// starts them (node bin/stratum.cjs, a fresh process each), median of 10 runs each; target under 0.3 s.
// A data folder with 24 real scans is made first (copied, then imported through the CLI itself), so `list` reads a
// real catalog. STRATUM_CLI=/path/to/bin/stratum.cjs times another build (e.g. an older commit).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const CLI = resolve(process.env.STRATUM_CLI ?? 'bin/stratum.cjs');
const RUNS = Number(process.env.BENCH_RUNS) || 10;
const TARGET_MS = 300;
const NORMAL = resolve('..', 'shared', 'data', 'octid-unannotated', 'NORMAL');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** GNU time gives the child's CPU time: on a busy machine wall time mostly measures the queue for a core. */
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

interface Run {
  wallMs: number;
  cpuMs: number | null;
}

function time(args: string[], home: string): Run {
  const [cmd, argv] = GNU_TIME ? [GNU_TIME, ['-f', 'cpu %U %S', process.execPath, ...args]] : [process.execPath, args];
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, { encoding: 'utf8', env: { ...process.env, STRATUM_HOME: home } });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr ?? '');
  return { wallMs, cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : null };
}

const home = mkdtempSync(join(tmpdir(), 'stratum-bench-cli-'));
const src = mkdtempSync(join(tmpdir(), 'stratum-bench-cli-src-'));
try {
  mkdirSync(join(src, 'NORMAL'));
  for (const f of readdirSync(NORMAL).sort().slice(0, 24)) copyFileSync(join(NORMAL, f), join(src, 'NORMAL', f));
  const imported = spawnSync(process.execPath, [CLI, 'import', src], { encoding: 'utf8', env: { ...process.env, STRATUM_HOME: home } });
  if (imported.status !== 0) throw new Error(`import failed: ${imported.stderr}`);
  // warm the disk cache once, as a user's second run would be
  for (const args of [['--help'], ['info'], ['list']]) time([CLI, ...args], home);

  const rows: [string, Run[]][] = [['node -e 0 (bare Node, for scale)', []]];
  for (let i = 0; i < RUNS; i++) rows[0]![1].push(time(['-e', '0'], home));
  for (const args of [['--help'], ['info'], ['list']]) {
    const runs: Run[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(time([CLI, ...args], home));
    rows.push([`stratum ${args.join(' ')}`, runs]);
  }
  console.log(`CLI: ${CLI}; ${RUNS} runs each; target < ${TARGET_MS} ms; CPU time (user + sys) by ${GNU_TIME ?? 'nothing: no /usr/bin/time'}`);
  let over = false;
  for (const [name, runs] of rows) {
    const wall = runs.map((r) => r.wallMs);
    const cpu = runs.flatMap((r) => (r.cpuMs === null ? [] : [r.cpuMs]));
    const m = median(wall);
    if (name.startsWith('stratum') && m >= TARGET_MS) over = true;
    const cpuText = cpu.length ? `  cpu median ${median(cpu).toFixed(0).padStart(4)} ms` : '';
    console.log(`${name.padEnd(34)} wall median ${m.toFixed(0).padStart(4)} ms (min ${Math.min(...wall).toFixed(0)}, max ${Math.max(...wall).toFixed(0)})${cpuText}`);
  }
  if (over) console.log(`over the ${TARGET_MS} ms target on wall time (a loaded machine adds to every figure: compare with bare Node above)`);
} finally {
  rmSync(home, { recursive: true, force: true });
  rmSync(src, { recursive: true, force: true });
}
