import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { expect, screenshot, test } from './fixtures/app';
import { dragAlongRow, layerAt } from './fixtures/canvas';
import { importFolder, useScanFolder, openAndSegment } from './fixtures/scans';

/** Who the app records as the corrector and the signer: the user running `stratum serve` (audit.ts currentActor). */
const ACTOR = process.env.USER || process.env.USERNAME || userInfo().username;

const folder = useScanFolder();

test('correct, sign off, re-segment: nothing is lost, and the PDF names the signed segmentation', async ({ stratum }) => {
  const { page } = stratum;
  const corrected = `corrected by ${ACTOR}`;
  await importFolder(page, folder());
  await openAndSegment(page, 'NORMAL26.jpeg');
  const scanState = page.getByTestId('scan-review-status');
  await expect(scanState).toHaveAttribute('data-state', /^(not-reviewed|needs-review)$/);
  await expect(page.getByTestId('shown-segmentation')).toHaveText(/Showing model stratum-unet-light \S+ \(current\)/);

  // Correct: drag the choroid bottom down to row 480 over columns 300-450, save.
  await page.getByTestId('edit-start').click();
  await page.getByTestId('edit-boundary').selectOption({ label: 'Choroid bottom' });
  await dragAlongRow(page, 480, 300, 450);
  await page.getByTestId('edit-save').click();
  await expect(page.getByTestId('boundary-editor')).toHaveCount(0);
  // One name for the state, on the scan facts and in the review panel; the panel says which segmentation is shown.
  await expect(scanState).toHaveText('Corrected');
  await expect(page.getByTestId('review-state')).toHaveText('Corrected');
  await expect(page.getByTestId('shown-segmentation')).toHaveText(`Showing ${corrected} (current)`);

  // Sign off signs the segmentation on screen (the correction) and leaves the view where it is.
  await expect(page.getByTestId('sign-off')).toHaveText(`Sign off ${corrected}`);
  await page.getByTestId('sign-off').click();
  await expect(scanState).toHaveText('Signed off');
  await expect(page.getByTestId('review-status')).toContainText(`Signed off by ${ACTOR} · `);
  await expect(page.getByTestId('compare-manual')).toHaveAttribute('aria-checked', 'true');
  // The model output is a different segmentation: not current, not signed off.
  await page.getByTestId('compare-model').click();
  await expect(page.getByTestId('shown-segmentation')).toContainText(`(not current: ${corrected} is)`);
  await expect(page.getByTestId('review-status')).toHaveText('Not signed off');
  await expect(scanState).toHaveText('Signed off');

  // The catalog card and filter use the same name.
  await page.getByTestId('back-to-catalog').click();
  const card = page.getByTestId('scan-card').filter({ hasText: 'NORMAL26.jpeg' });
  await expect(card.getByTestId('scan-review')).toHaveText('Signed off');
  await page.getByTestId('filter-review').selectOption('signed-off');
  await expect(page.getByTestId('scan-card')).toHaveCount(1);

  // Reopened, the viewer shows the current segmentation (the correction), not the model's numbers.
  await card.click();
  await expect(page.getByTestId('compare-manual')).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByTestId('shown-segmentation')).toHaveText(`Showing ${corrected} (current)`);
  expect(await layerAt(page, 375, 470)).toBe('Choroid');

  // Re-segmenting asks first, naming what the scan has; Cancel does nothing.
  await page.getByTestId('segment-button').click();
  const confirm = page.getByTestId('resegment-confirm');
  await expect(confirm).toContainText(`This scan has a correction (${corrected}, signed off by ${ACTOR}).`);
  await expect(confirm).toContainText('discards nothing');
  await screenshot(page, 'viewer-resegment-confirm');
  await page.getByTestId('resegment-cancel').click();
  await expect(confirm).toHaveCount(0);
  await expect(page.getByTestId('segment-state')).toHaveCount(0);
  await page.getByTestId('segment-button').click();
  await page.getByTestId('resegment-go').click();
  await expect(page.getByTestId('segment-state')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });

  // Nothing is lost: the correction stays current and signed off, the model output is kept beside it.
  await expect(scanState).toHaveText('Signed off');
  await expect(page.getByTestId('shown-segmentation')).toHaveText(`Showing ${corrected} (current)`);
  await expect(page.getByTestId('review-status')).toContainText(`Signed off by ${ACTOR}`);
  const history = page.getByTestId('segmentation-history');
  await history.locator('summary').click();
  const entries = history.getByTestId('history-entry');
  await expect(entries).toHaveCount(2);
  await expect(entries.nth(0)).toContainText('model stratum-unet-light');
  await expect(entries.nth(1)).toContainText(`${corrected}`);
  await expect(entries.nth(1)).toContainText(`current · Signed off by ${ACTOR}`);
  expect(await layerAt(page, 375, 470)).toBe('Choroid');

  // The PDF is made from the signed correction and names it, its state and its signer.
  await page.getByTestId('export-pdf').click();
  const saved = page.getByTestId('export-path');
  await expect(saved).toContainText('.pdf');
  const pdf = ((await saved.getAttribute('title')) ?? '').trim();
  const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  expect(text).toContain('Signed off');
  expect(text).toContain(`Segmentation: ${corrected}`);
  expect(text).toMatch(new RegExp(`Signed off by ${ACTOR} on \\d{4}-\\d{2}-\\d{2}`));
  expect(text).toMatch(/Corrected share of pixels: \d+\.\d %/);
});
