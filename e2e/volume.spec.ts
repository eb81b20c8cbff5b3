import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, screenshot, test } from './fixtures/app';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const VOLUME = resolve(ROOT, '../shared/data/formats/heyex-xml-volume');

/** The B-scan shown, by the pane's index readout (0-based in data-index). */
const shown = (page: import('@playwright/test').Page) => page.getByTestId('bscan-index');

test('import the Heidelberg XML volume, page through its B-scans from the localizer, segment the volume', async ({ stratum }) => {
  test.setTimeout(420_000);
  const { page } = stratum;
  await page.getByTestId('empty-import').click();
  await page.getByTestId('import-path').fill(VOLUME);
  await page.getByTestId('import-check').click();
  // the dry run: one series of 145 B-scans (not 145 TIFF images), and the rule that paired its files
  await expect(page.getByTestId('summary-import')).toHaveText('1');
  const listed = page.getByTestId('import-series-file');
  await expect(listed).toHaveAttribute('data-bscans', '145');
  await expect(listed).toHaveAttribute('data-kind', 'volume');
  await expect(page.getByTestId('import-pairing')).toContainText('<ImageNumber>-Input.tif');
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-progress')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });

  // the card: its kind and B-scan count, the middle B-scan as the picture (this export has no localizer image)
  const card = page.getByTestId('scan-card');
  await expect(card).toHaveCount(1);
  await expect(card.getByTestId('scan-series')).toHaveText('volume of 145 B-scans');
  await expect(card.getByTestId('scan-thumb')).toHaveAttribute('data-loaded', 'true');
  await card.click();

  // the localizer pane: 145 B-scan lines on the localizer's 8.6 mm field, the first one current
  const pane = page.getByTestId('localizer-pane');
  await expect(pane).toBeVisible();
  await expect(pane.getByTestId('localizer-bscan')).toHaveCount(145);
  await expect(shown(page)).toHaveText('B-scan 1 of 145');
  await expect(pane.locator('[data-current="true"]')).toHaveAttribute('data-index', '0');
  await expect(page.getByTestId('bscan-position')).toHaveText(/\(1\.43, 6\.44\) → \(7\.16, 6\.44\) mm/);

  // a click on the localizer shows the nearest B-scan
  const line = pane.locator('[data-testid="localizer-bscan"][data-index="72"]');
  const box = (await line.boundingBox())!;
  await pane.getByTestId('localizer-positions').click({ position: await positionIn(page, box) });
  await expect(shown(page)).toHaveAttribute('data-index', /^(71|72|73)$/);
  const clicked = Number(await shown(page).getAttribute('data-index'));
  await expect(pane.locator('[data-current="true"]')).toHaveAttribute('data-index', String(clicked));
  const positionAfterClick = await page.getByTestId('bscan-position').textContent();
  expect(positionAfterClick).toMatch(/mm$/);

  // the wheel over the localizer and the keys page on; the B-scan on screen follows
  await pane.getByTestId('localizer-positions').hover();
  await page.mouse.wheel(0, 100);
  await expect(shown(page)).toHaveAttribute('data-index', String(clicked + 1));
  await page.keyboard.press('PageDown');
  await expect(shown(page)).toHaveAttribute('data-index', String(clicked + 2));
  await page.keyboard.press(',');
  await expect(shown(page)).toHaveAttribute('data-index', String(clicked + 1));
  await expect(page.getByTestId('bscan-position')).not.toHaveText(positionAfterClick!);
  await page.keyboard.press('End');
  await expect(shown(page)).toHaveText('B-scan 145 of 145');
  await page.keyboard.press('Home');
  await expect(shown(page)).toHaveText('B-scan 1 of 145');
  await screenshot(page, 'volume-localizer');

  // segment the volume: progress per B-scan; stop part-way; segmenting again resumes and finishes
  await page.getByTestId('segment-button').click();
  await expect(page.getByTestId('segment-state')).toHaveText(/B-scan ([3-9]|\d\d+)\/145/, { timeout: 120_000 });
  await page.getByTestId('segment-cancel').click();
  await expect(page.getByTestId('segment-state')).toHaveAttribute('data-state', 'cancelled');
  await page.getByTestId('segment-button').click();
  await expect(page.getByTestId('segment-state')).toHaveText(/resuming: \d+ done before/, { timeout: 60_000 });
  await expect(page.getByTestId('segment-state')).toHaveAttribute('data-state', 'done', { timeout: 360_000 });
  // every B-scan has its layers: the first, and one paged to
  await expect(page.getByTestId('overlay-canvas')).toBeVisible();
  await page.keyboard.press('End');
  await expect(shown(page)).toHaveText('B-scan 145 of 145');
  await expect(page.getByTestId('overlay-canvas')).toBeVisible();
  await screenshot(page, 'volume-segmented');
});

/** The middle of a localizer line, relative to the positions layer (what `click({ position })` takes). */
async function positionIn(page: import('@playwright/test').Page, line: { x: number; y: number; width: number; height: number }) {
  const layer = (await page.getByTestId('localizer-positions').boundingBox())!;
  return { x: line.x + line.width / 2 - layer.x, y: line.y + line.height / 2 - layer.y };
}
