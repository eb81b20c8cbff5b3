/**
 * Runs the real CLI (bin/stratum.cjs over dist/main) for the hostile-input tests, with a wall-clock
 * limit so a hang fails the test instead of stalling the suite.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const CLI = join(ROOT, 'bin', 'stratum.cjs');

/** dist/main is built once per run by Vitest's global setup; see test-support/main-build.ts. */
export { buildMain } from '../../test-support/main-build';

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
