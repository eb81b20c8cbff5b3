import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, screenshot, test } from './fixtures/app';
import { segmentOpenScan, startImport } from './fixtures/scans';

const DATA = resolve(fileURLToPath(new URL('..', import.meta.url)), '../shared/data');

let folder = '';
test.beforeEach(() => {
  // a diseased scan (macular hole: no retina over part of it, cysts, layers missing) and a normal one
  folder = mkdtempSync(join(tmpdir(), 'stratum-flags-'));
  copyFileSync(join(DATA, 'octdl-diseased', 'macular_hole', 'vid_1416874_1.png'), join(folder, 'vid_1416874_1.png'));
  copyFileSync(join(DATA, 'octid-unannotated', 'NORMAL', 'NORMAL30.jpeg'), join(folder, 'NORMAL30.jpeg'));
});
test.afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

test('flag reasons are visible: in the viewer for the segmentation shown, and on the catalog card on hover', async ({ stratum }) => {
  const { page } = stratum;
  await startImport(page, folder, 2);
  await expect(page.getByTestId('import-progress')).toHaveAttribute('data-state', 'done');

  // the diseased scan, segmented by the real model: the viewer says why it needs a look
  await page.getByTestId('scan-card').filter({ hasText: 'vid_1416874_1.png' }).click();
  await segmentOpenScan(page);
  const findings = page.getByTestId('quality-findings');
  await expect(findings).toBeVisible();
  await expect(page.getByTestId('quality-flag')).toContainText('Needs review');
  const missing = findings.locator('[data-code="missing-layers"]');
  await expect(missing).toContainText(/% of columns with retina lack one of INL\.\.RPE \(threshold 2 %\)/);
  // the measured value and the rule's threshold are there on hover, as data
  await expect(missing).toHaveAttribute('title', /^measured 0\.\d+, threshold 0\.02 \(share\)$/);
  await expect(findings.locator('[data-code="gaps-in-retina"]')).toContainText('of the retina is left unlabelled');
  await expect(findings.getByTestId('quality-finding')).not.toHaveCount(0);
  await screenshot(page, 'flags-viewer');

  // the catalog card: the state, and the reasons in its hover title
  await page.getByTestId('back-to-catalog').click();
  const card = page.getByTestId('scan-card').filter({ hasText: 'vid_1416874_1.png' });
  const label = card.getByTestId('scan-review');
  await expect(label).toHaveAttribute('data-state', 'needs-review');
  await expect(label).toHaveAttribute('title', /Why:\n• .*lack one of INL\.\.RPE/);
  await label.hover();

  // the normal scan: no findings in the viewer, no reasons on its card
  await page.getByTestId('scan-card').filter({ hasText: 'NORMAL30.jpeg' }).click();
  await segmentOpenScan(page);
  await expect(page.getByTestId('quality-findings-none')).toBeVisible();
  await expect(page.getByTestId('quality-findings')).toHaveCount(0);
  await page.getByTestId('back-to-catalog').click();
  const normal = page.getByTestId('scan-card').filter({ hasText: 'NORMAL30.jpeg' }).getByTestId('scan-review');
  await expect(normal).toHaveAttribute('data-state', 'not-reviewed');
  await expect(normal).toHaveAttribute('data-reasons', '0');
});
