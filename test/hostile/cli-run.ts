/**
 * Runs the real CLI (bin/stratum.cjs over dist/main) for the hostile-input tests, with a wall-clock
 * limit so a hang fails the test instead of stalling the suite.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const CLI = join(ROOT, 'bin', 'stratum.cjs');

/** Newest modification time of the sources the main bundles are built from. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith('.ts') || entry.name.endsWith('.json')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * The tests run the CLI from dist/, so it must be built from the sources under test. Test files run in
 * parallel: one builds (under a lock) and the others find the bundles fresh, instead of rewriting them
 * while another file's CLI is loading them.
 */
export function buildMain(): void {
  const lock = join(tmpdir(), 'stratum-hostile-build.lock');
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
  try {
    const bundle = join(ROOT, 'dist', 'main', 'cli.cjs');
    const built = existsSync(bundle) ? statSync(bundle).mtimeMs : 0;
    if (built > Math.max(newestSource(join(ROOT, 'src-main')), newestSource(join(ROOT, 'src-shared')), statSync(join(ROOT, 'package.json')).mtimeMs)) return;
    const r = spawnSync(process.execPath, ['scripts/build-main.mjs'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`build-main failed: ${r.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface CliRun {
  /** Exit status; null when killed at the time limit. */
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
}

export function runCli(args: string[], options: { timeoutMs?: number; home?: string; cwd?: string } = {}): CliRun {
  const t0 = performance.now();
  const home = options.home ? ['--home', options.home] : [];
  const r = spawnSync(process.execPath, [CLI, ...home, ...args], { cwd: options.cwd ?? ROOT, encoding: 'utf8', timeout: options.timeoutMs ?? 20_000, killSignal: 'SIGKILL' });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms: performance.now() - t0, timedOut: r.error !== undefined && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT' };
}

/** A clear error: failed, within time, one line per problem on stderr, no stack trace. */
export function expectClearError(run: CliRun, ...fragments: string[]): void {
  const where = `stderr: ${run.stderr}\nstdout: ${run.stdout.slice(0, 500)}`;
  if (run.timedOut) throw new Error(`timed out (a hang) after ${Math.round(run.ms)} ms; ${where}`);
  if (run.status === 0) throw new Error(`exited 0; expected a failure. ${where}`);
  if (/\n\s+at /.test(run.stderr)) throw new Error(`a stack trace instead of a clear error: ${where}`);
  for (const f of fragments) if (!run.stderr.includes(f)) throw new Error(`stderr lacks ${JSON.stringify(f)}; ${where}`);
}
