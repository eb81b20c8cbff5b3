/**
 * The tests that run the real CLI, host or workers load them from dist/main, so dist/main must be built
 * from the sources under test. Vitest's global setup (test-support/vitest-global-setup.ts) builds it once
 * per run, before any test file starts; the test files' own `buildMain()` calls then only check that it
 * did (`inject('mainBuilt')`), so parallel files never rebuild the bundles while another file's CLI is
 * loading them, and `npm test` (which has just run `npm run build`) builds nothing again.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';

export const REPO_ROOT = join(__dirname, '..');

/** What the main bundles are built from: a change to any of these makes dist/main stale. */
const SOURCE_DIRS = ['src-main', 'src-shared'];
const SOURCE_FILES = ['package.json', 'scripts/build-main.mjs'];

/** Held while one process checks and builds; one left by a killed run is taken over after this long. */
const LOCK = join(tmpdir(), 'stratum-test-build-main.lock');
const STALE_LOCK_MS = 120_000;

function newestSource(): number {
  let newest = 0;
  for (const file of SOURCE_FILES) newest = Math.max(newest, statSync(join(REPO_ROOT, file)).mtimeMs);
  for (const dir of SOURCE_DIRS) {
    for (const entry of readdirSync(join(REPO_ROOT, dir), { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/** True when dist/main exists and is newer than every source it is built from. */
export function mainBuildIsFresh(): boolean {
  const built = statSync(join(REPO_ROOT, 'dist', 'main', 'cli.cjs'), { throwIfNoEntry: false });
  return built !== undefined && built.mtimeMs > newestSource();
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Builds dist/main unless it is fresh, under a lock so concurrent runs build it once. Returns whether it built. */
export function ensureMainBuilt(): boolean {
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      const held = statSync(LOCK, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      sleep(100);
    }
  }
  try {
    if (mainBuildIsFresh()) return false;
    const r = spawnSync(process.execPath, ['scripts/build-main.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`scripts/build-main.mjs failed: ${r.stderr}`);
    return true;
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * For a test file that needs dist/main: a no-op when the global setup has built it this run; otherwise
 * (a file run under another config) it builds it here.
 */
export function buildMain(): void {
  if (inject('mainBuilt')) return;
  ensureMainBuilt();
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by the global setup once dist/main is fresh. */
    mainBuilt: boolean;
  }
}
