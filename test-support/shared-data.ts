/**
 * Where the real OCT data lives for tests: ../shared/data beside the repository (see its README.md).
 * Never copied into the repository.
 *
 * A suite that needs it asks `haveSharedData(...)` and runs only when it is there. On a developer's
 * machine without the data the suite is skipped; under CI (CI=1 or CI=true) a missing folder is an
 * error instead, so a suite cannot pass in CI by silently testing nothing.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root (this file is in <root>/test-support). */
export const REPO_ROOT = resolve(__dirname, '..');
export const SHARED_DATA = resolve(REPO_ROOT, '..', 'shared', 'data');

/** A path under ../shared/data, e.g. sharedData('octid-deepeye', 'images'). */
export function sharedData(...parts: string[]): string {
  return join(SHARED_DATA, ...parts);
}

/** Whether this run counts as CI (CI=1 / CI=true, as CI services set it). */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = (env.CI ?? '').trim().toLowerCase();
  return v !== '' && v !== '0' && v !== 'false';
}

/**
 * True when ../shared/data/<parts...> exists. When it is missing: false locally (the suite is
 * skipped), but under CI it throws, which fails the test file.
 */
export function haveSharedData(...parts: string[]): boolean {
  const path = sharedData(...parts);
  if (existsSync(path)) return true;
  if (isCi()) throw new Error(`CI: test data missing: ${path} (the shared OCT data must be at ${SHARED_DATA})`);
  return false;
}
