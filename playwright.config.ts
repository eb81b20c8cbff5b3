import { defineConfig } from '@playwright/test';

/**
 * Two projects run the same journeys:
 * - `browser`: the Node host (`stratum serve`) in Debian's Chromium; runs everywhere.
 * - `electron`: the real shell through Playwright's _electron API; only where an Electron binary exists
 *   (see e2e/fixtures/app.ts, which skips with a clear reason otherwise).
 */
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    viewport: { width: 1440, height: 900 },
  },
  projects: [
    { name: 'browser' },
    { name: 'electron' },
  ],
});
