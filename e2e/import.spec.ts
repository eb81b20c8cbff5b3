import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, screenshot, test } from './fixtures/app';
import { startImport } from './fixtures/scans';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const OCTID = resolve(ROOT, '../shared/data/octid-unannotated');

test.describe('import', () => {
  test('import the OCTID folder with the dry run first', async ({ stratum }) => {
    const { page } = stratum;
    await expect(page.getByTestId('catalog-empty')).toBeVisible();
    await screenshot(page, 'catalog-empty');
    await page.getByTestId('empty-import').click();
    // A native folder picker exists only in the desktop shell; in the browser the path is typed.
    await expect(page.getByTestId('import-browse')).toHaveCount(stratum.host === 'electron' ? 1 : 0);
    await page.getByTestId('import-path').fill(OCTID);
    await page.getByTestId('import-check').click();
    const summary = page.getByTestId('import-summary');
    await expect(summary).toBeVisible();
    await expect(page.getByTestId('summary-found')).toHaveText('60');
    await expect(page.getByTestId('summary-import')).toHaveText('60');
    await expect(page.getByTestId('summary-duplicates')).toHaveText('0');
    await expect(page.getByTestId('summary-failed')).toHaveText('0');
    await screenshot(page, 'import-summary');
    await page.getByTestId('import-start').click();
    await expect(page.getByTestId('import-progress')).toHaveAttribute('data-state', 'done');
    await expect(page.getByTestId('result-imported')).toHaveText('60');
    await expect(page.getByTestId('catalog-count')).toContainText('60 scans');
    await expect(page.getByTestId('scan-card')).toHaveCount(24);
    await expect(page.getByTestId('page-range')).toHaveText('1–24 of 60');
    await page.getByRole('button', { name: 'Close import' }).click();
    await expect(page.getByTestId('scan-card').first().locator('img')).toBeVisible();
    await screenshot(page, 'catalog');
    await page.getByTestId('page-next').click();
    await expect(page.getByTestId('page-range')).toHaveText('25–48 of 60');
    await page.getByTestId('page-next').click();
    await expect(page.getByTestId('page-range')).toHaveText('49–60 of 60');
    await expect(page.getByTestId('scan-card')).toHaveCount(12);
    await expect(page.getByTestId('page-next')).toBeDisabled();
    await page.getByTestId('page-prev').click();
    await expect(page.getByTestId('page-range')).toHaveText('25–48 of 60');

    // A second dry run finds everything already in the catalog.
    await page.getByTestId('open-import').click();
    await page.getByTestId('import-path').fill(OCTID);
    await page.getByTestId('import-check').click();
    await expect(page.getByTestId('summary-import')).toHaveText('0');
    await expect(page.getByTestId('summary-duplicates')).toHaveText('60');
    // nothing new: no import to start, and each duplicate names the catalog scan it repeats
    await expect(page.getByTestId('import-start')).toBeDisabled();
    await expect(page.getByTestId('import-duplicate').filter({ hasText: 'NORMAL26.jpeg' })).toContainText(/already in the catalog as scan \d+ \(NORMAL26\.jpeg\)/);
  });

  test('an import with bad files lists the failures with reasons and ends done with failures', async ({ stratum }) => {
    const { page } = stratum;
    const folder = mkdtempSync(join(tmpdir(), 'stratum-bad-'));
    try {
      copyFileSync(join(OCTID, 'NORMAL', 'NORMAL26.jpeg'), join(folder, 'good.jpeg'));
      writeFileSync(join(folder, 'empty.png'), '');
      writeFileSync(join(folder, 'notes.jpeg'), 'this is not an image\n');
      await page.getByTestId('empty-import').click();
      await page.getByTestId('import-path').fill(folder);
      await page.getByTestId('import-check').click();
      await expect(page.getByTestId('summary-failed')).toHaveText('2');
      // the counts add up: 3 found = 1 to import + 2 that cannot be read
      await expect(page.getByTestId('summary-found')).toHaveText('3');
      await expect(page.getByTestId('summary-import')).toHaveText('1');
      // renamed, the OCTID file has no device profile: it is named as lacking a scale
      await expect(page.getByTestId('import-no-scale-file')).toContainText('good.jpeg');
      await expect(page.getByTestId('import-failure')).toHaveCount(2);
      await expect(page.getByTestId('import-failure').filter({ hasText: 'empty.png' })).toBeVisible();
      await expect(page.getByTestId('import-failure').filter({ hasText: 'notes.jpeg' })).toBeVisible();
      await screenshot(page, 'import-failures');
      await page.getByTestId('import-start').click();
      await expect(page.getByTestId('import-progress')).toHaveAttribute('data-state', 'done');
      await expect(page.getByTestId('result-imported')).toHaveText('1');
      await expect(page.getByTestId('result-failed')).toHaveText('2');
      // not a green DONE: done, with failures, in the warning colour
      await expect(page.getByTestId('import-state')).toHaveText('done with failures');
      await expect(page.getByTestId('import-state')).toHaveCSS('color', 'rgb(232, 177, 76)');
      await expect(page.getByTestId('job').filter({ hasText: 'Import' }).getByTestId('job-state')).toHaveText('done with failures');
      await expect(page.getByTestId('import-failure')).toHaveCount(2);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

test.describe('cancelling and resuming an import', () => {
  test.use({ slowJobsMs: 300 });
  test('a cancelled import keeps what it imported and resumes without duplicates', async ({ stratum }) => {
    const { page } = stratum;
    await startImport(page, OCTID, 60);
    const progress = page.getByTestId('import-progress');
    await expect(progress).toHaveAttribute('data-state', 'running');
    // The current file is shown while it runs.
    await expect(page.getByTestId('import-current')).toContainText(/NORMAL\d+\.jpeg/);
    await page.waitForTimeout(1500);
    await page.getByTestId('import-cancel').click();
    await expect(progress).toHaveAttribute('data-state', 'cancelled');
    const countText = (await page.getByTestId('catalog-count').textContent()) ?? '';
    const partial = Number(/(\d+) scans/.exec(countText)?.[1] ?? 'NaN');
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(60);

    await page.getByTestId('import-resume').click();
    await expect(progress).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
    await expect(page.getByTestId('result-imported')).toHaveText(String(60 - partial));
    await expect(page.getByTestId('result-duplicates')).toHaveText(String(partial));
    await expect(page.getByTestId('catalog-count')).toContainText('60 scans');
  });
});

test('first run: the empty catalog offers the bundled sample scans', async ({ stratum }) => {
  const { page } = stratum;
  await expect(page.getByTestId('catalog-empty')).toContainText('Your catalog is empty');
  await page.getByTestId('load-samples').click();
  await expect(page.getByTestId('scan-card')).toHaveCount(3);
});
