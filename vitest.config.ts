import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src-main/**/*.test.ts', 'src-shared/**/*.test.ts', 'src-renderer/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts', 'test-support/**/*.test.ts'],
    environment: 'node',
    // builds dist/main once per run (when stale) for the tests that run the real CLI, host and workers
    globalSetup: ['test-support/vitest-global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Native modules (better-sqlite3, onnxruntime) are happier in forked processes than in worker threads.
    pool: 'forks',
  },
});
