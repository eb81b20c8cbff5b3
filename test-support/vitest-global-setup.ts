/**
 * Runs once per `vitest run`, before any test file: builds dist/main when it is missing or older than
 * its sources (after `npm run build`, as in `npm test`, it is fresh and nothing is built), then tells
 * the test files so through `provide`, so none of them builds it again.
 */
import type { TestProject } from 'vitest/node';
import { ensureMainBuilt } from './main-build';

export default function setup(project: TestProject): void {
  const t0 = performance.now();
  if (ensureMainBuilt()) console.log(`global setup: built dist/main in ${Math.round(performance.now() - t0)} ms`);
  project.provide('mainBuilt', true);
}
