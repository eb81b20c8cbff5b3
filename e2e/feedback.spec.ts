import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { expect, test } from './fixtures/app';
import { useScanFolder } from './fixtures/scans';

/** Feedback that tells the truth (issue 18): what the app says matches what happened. */
const folder = useScanFolder();

test('segment after import is a job of its own, followed to its end; nothing stays "queued"', async ({ stratum }) => {
  const { page } = stratum;
  await page.getByTestId('empty-import').click();
  await page.getByTestId('import-path').fill(folder());
  await page.getByTestId('import-check').click();
  await page.getByLabel('Segment after import').check();
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-progress')).toHaveAttribute('data-state', 'done');
  const job = page.getByTestId('job').filter({ hasText: 'Segment 5 new scans' });
  await expect(job).toBeVisible();
  await expect(page.getByTestId('import-segmentation')).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
  await expect(page.getByTestId('import-segmentation')).toHaveText('Segmentation of 5 new scans: done');
  await expect(job).toHaveAttribute('data-state', 'done');
  await expect(job.getByTestId('job-result')).toHaveText('5 scans segmented');
  await expect(page.getByText(/queued/i)).toHaveCount(0);
  await expect(page.getByTestId('scan-review').filter({ hasText: 'Not segmented' })).toHaveCount(0);
  // finished jobs can be cleared from the list
  await page.getByTestId('jobs-clear').click();
  await expect(page.getByTestId('job')).toHaveCount(0);
});

test('the data-folder check names the damaged scan, links to it, and does not say plain "done"', async ({ stratum }) => {
  const { page, home } = stratum;
  await page.getByTestId('empty-import').click();
  await page.getByTestId('import-path').fill(folder());
  await page.getByTestId('import-check').click();
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-progress')).toHaveAttribute('data-state', 'done');
  // one library file loses its content (a disk error, a sync tool): its hash no longer matches its name
  const library = join(home, 'library');
  const sub = readdirSync(library).find((d) => !d.startsWith('.'))!;
  const file = readdirSync(join(library, sub)).find((f) => !f.startsWith('.'))!;
  writeFileSync(join(library, sub, file), 'not the image any more');
  await page.getByTestId('check-data-folder').click();
  const result = page.getByTestId('check-result');
  await expect(result).toHaveAttribute('data-problems', '1');
  await expect(page.getByTestId('check-corrupt')).toHaveText('1');
  await expect(page.getByTestId('check-files')).toHaveText('5');
  await expect(page.getByTestId('job').filter({ hasText: /check/i }).getByTestId('job-state')).toHaveText('done with failures');
  const link = page.getByTestId('check-affected-scan');
  await expect(link).toHaveCount(1);
  const scanId = (await link.getAttribute('data-scan-id')) ?? '';
  await link.click();
  await expect(page.getByTestId('viewer')).toHaveAttribute('data-scan-id', scanId);
});

test('a page opened without its token shows only the error and how to fix it', async ({ stratum }) => {
  test.skip(stratum.host !== 'browser', 'the token belongs to the browser host');
  const { page } = stratum;
  await page.goto(stratum.url!.split('#')[0]!);
  await expect(page.getByTestId('connection-problem')).toBeVisible();
  await expect(page.getByTestId('connection-fix')).toContainText('without its access token');
  await expect(page.getByTestId('connection-fix')).toContainText('#token=');
  // nothing that looks like a working app: no catalog, no import buttons, no status bar
  for (const id of ['catalog-empty', 'empty-import', 'open-import', 'load-samples', 'check-data-folder', 'status-version']) await expect(page.getByTestId(id)).toHaveCount(0);
  await expect(page.getByText('Desktop')).toHaveCount(0);
});

test('~ in the path field is the home folder', async ({ stratum }) => {
  const { page } = stratum;
  const inHome = mkdtempSync(join(homedir(), 'stratum-e2e-tilde-'));
  try {
    copyFileSync(join(folder(), 'NORMAL', 'NORMAL26.jpeg'), join(inHome, 'NORMAL26.jpeg'));
    await page.getByTestId('empty-import').click();
    await page.getByTestId('import-path').fill(`~/${basename(inHome)}`);
    await page.getByTestId('import-check').click();
    await expect(page.getByTestId('summary-import')).toHaveText('1');
    await page.getByTestId('import-start').click();
    await expect(page.getByTestId('import-progress')).toHaveAttribute('data-state', 'done');
    await expect(page.getByTestId('scan-card')).toHaveCount(1);
  } finally {
    rmSync(inHome, { recursive: true, force: true });
  }
});
