import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/app';
import { docsScreenshot, renewingDocs } from './fixtures/docs-shots';
import { openAndSegment } from './fixtures/scans';

/**
 * Renews docs/screenshots at 1280x720 and 1440x900 from a real run (60 OCTID scans, segmented by the
 * shipped model): `STRATUM_DOCS_SCREENSHOTS=1 npx playwright test --project=browser e2e/docs-screenshots.spec.ts`.
 * Skipped in an ordinary e2e run, which must not rewrite the docs.
 */
const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const OCTID = resolve(ROOT, '../shared/data/octid-unannotated');
const DEEPEYE = resolve(ROOT, '../shared/data/octid-deepeye/images');

async function importPath(page: Page, path: string, first = false) {
  await page.getByTestId(first ? 'empty-import' : 'open-import').click();
  await page.getByTestId('import-path').fill(path);
  await page.getByTestId('import-check').click();
  await expect(page.getByTestId('import-summary')).toBeVisible();
}

test('docs screenshots at both sizes', async ({ stratum }) => {
  test.skip(!renewingDocs, 'renews docs/screenshots only with STRATUM_DOCS_SCREENSHOTS=1');
  test.setTimeout(900_000);
  const { page, home } = stratum;
  const work = mkdtempSync(join(tmpdir(), 'stratum-docs-'));
  try {
    await importPath(page, OCTID, true);
    await docsScreenshot(page, 'import-summary');
    await page.getByTestId('import-start').click();
    await expect(page.getByTestId('import-progress')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
    await page.getByRole('button', { name: 'Close import' }).click();

    // the selection: all 60 matching, segmented as one job
    await page.getByTestId('select-all-matching').click();
    await page.getByTestId('bulk-segment-unsegmented').click();
    await expect(page.getByTestId('bulk-job').and(page.locator('[data-kind="bulk.segment"]'))).toHaveAttribute('data-state', 'running');
    await docsScreenshot(page, 'catalog-bulk-segmenting');
    await expect(page.getByTestId('bulk-job').and(page.locator('[data-kind="bulk.segment"]'))).toHaveAttribute('data-state', 'done', { timeout: 600_000 });
    await docsScreenshot(page, 'catalog');
    await page.getByTestId('selection-clear').click();
    await page.getByTestId('view-list').click();
    await page.getByTestId('sort-reviewState').click();
    await docsScreenshot(page, 'catalog-list');
    await page.getByTestId('view-grid').click();

    // the trash
    const boxes = page.getByTestId('scan-select');
    await boxes.nth(0).click();
    await boxes.nth(1).click();
    await page.getByTestId('bulk-trash').click();
    await expect(page.getByTestId('bulk-job').and(page.locator('[data-kind="bulk.delete"]'))).toHaveAttribute('data-state', 'done');
    await page.getByTestId('show-trash').click();
    await page.getByTestId('select-all-matching').click();
    await page.getByTestId('bulk-purge').click();
    await docsScreenshot(page, 'trash');
    await page.getByTestId('bulk-purge-cancel').click();
    await page.getByTestId('bulk-restore').click();
    await expect(page.getByTestId('bulk-job').and(page.locator('[data-kind="bulk.restore"]'))).toHaveAttribute('data-state', 'done');
    await page.getByTestId('show-trash').click();

    // an import that ends with failures
    const bad = join(work, 'bad');
    mkdirSync(bad);
    copyFileSync(join(DEEPEYE, 'NORMAL120.jpeg'), join(bad, 'NORMAL120.jpeg'));
    writeFileSync(join(bad, 'empty.png'), '');
    writeFileSync(join(bad, 'notes.jpeg'), 'this is not an image\n');
    await importPath(page, bad);
    await page.getByTestId('import-start').click();
    await expect(page.getByTestId('import-progress')).toHaveAttribute('data-state', 'done');
    await docsScreenshot(page, 'import-failures');
    await page.getByRole('button', { name: 'Close import' }).click();

    // two visits of one eye, and the viewer
    writeFileSync(join(work, 'visits.csv'), ['file,patient_id,eye,date', `${join(DEEPEYE, 'NORMAL100.jpeg')},P9,OD,2024-01-10`, `${join(DEEPEYE, 'NORMAL101.jpeg')},P9,OD,2026-03-15`].join('\n'));
    await importPath(page, join(work, 'visits.csv'));
    await page.getByTestId('import-start').click();
    await expect(page.getByTestId('import-progress')).toHaveAttribute('data-state', 'done');
    await page.getByRole('button', { name: 'Close import' }).click();
    await page.getByTestId('filter-patient').selectOption('P9');
    await openAndSegment(page, 'NORMAL100.jpeg');
    await page.getByTestId('back-to-catalog').click();
    await openAndSegment(page, 'NORMAL101.jpeg');
    await docsScreenshot(page, 'viewer-visits', async () => {
      const chart = (await page.getByTestId('profile-svg').boundingBox())!;
      await page.mouse.move(chart.x + chart.width * 0.35, chart.y + chart.height * 0.5);
    });
    await page.getByTestId('back-to-catalog').click();
    await page.getByTestId('filter-clear').click();
    await page.getByTestId('scan-card').filter({ hasText: 'NORMAL26.jpeg' }).click();
    await expect(page.getByTestId('zone-table')).toBeVisible();
    await docsScreenshot(page, 'viewer-overlays', async () => {
      const canvas = (await page.getByTestId('scan-canvas').boundingBox())!;
      await page.mouse.move(canvas.x + canvas.width * 0.3, canvas.y + canvas.height * 0.45);
    });
    await page.getByTestId('mode-boundary').click();
    await docsScreenshot(page, 'viewer-lines');
    await page.getByTestId('mode-fill').click();
    await page.getByTestId('shortcuts-button').click();
    await docsScreenshot(page, 'viewer-shortcuts');
    await page.keyboard.press('Escape');
    await page.getByTestId('back-to-catalog').click();

    // a damaged library file: the check names the scan
    const library = join(home, 'library');
    const sub = readdirSync(library).find((d) => !d.startsWith('.'))!;
    const file = readdirSync(join(library, sub)).find((f) => !f.startsWith('.'))!;
    writeFileSync(join(library, sub, file), 'damaged');
    await page.getByTestId('check-data-folder').click();
    await expect(page.getByTestId('check-result')).toBeVisible({ timeout: 60_000 });
    await docsScreenshot(page, 'data-folder-check');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
