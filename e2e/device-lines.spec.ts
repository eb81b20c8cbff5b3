import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, screenshot, test } from './fixtures/app';
import { segmentOpenScan } from './fixtures/scans';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const LINE_SCAN = resolve(ROOT, '../shared/data/formats/spectralis-vol/Willis_B_716_0.vol');

test("on the Spectralis line scan, the device's ILM and BM lie beside Stratum's layers, with the difference in µm", async ({ stratum }) => {
  test.setTimeout(180_000);
  const { page } = stratum;
  await page.getByTestId('empty-import').click();
  await page.getByTestId('import-path').fill(LINE_SCAN);
  await page.getByTestId('import-check').click();
  await expect(page.getByTestId('import-series-file')).toHaveAttribute('data-format', 'Heidelberg VOL');
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-progress')).toHaveAttribute('data-state', 'done');
  const card = page.getByTestId('scan-card');
  await expect(card.getByTestId('scan-series')).toHaveText('line scan');
  await card.click();

  // the SLO localizer with the one B-scan's line, 9.08 mm long through the middle
  const pane = page.getByTestId('localizer-pane');
  await expect(pane.getByTestId('localizer-image')).toBeVisible();
  await expect(pane.getByTestId('localizer-bscan')).toHaveCount(1);
  await expect(page.getByTestId('bscan-position')).toHaveText('(0.00, 4.54) → (9.08, 4.54) mm');

  // the device's lines are drawn before Stratum has segmented anything
  const device = page.getByTestId('device-panel');
  await expect(device).toContainText('Heidelberg Engineering Spectralis (file) lines');
  const lines = page.getByTestId('device-lines');
  await expect(lines.getByTestId('device-line')).toHaveCount(2);
  await expect(lines.locator('[data-boundary="ILM"]')).toHaveAttribute('d', /^M/);
  await expect(lines.locator('[data-boundary="BM"]')).toHaveAttribute('d', /^M/);
  await expect(device).toContainText('Segment the scan to compare');

  // after segmenting: Stratum's layers and the device's lines together, the difference per boundary in µm
  await segmentOpenScan(page);
  await expect(page.getByTestId('overlay-canvas')).toBeVisible();
  await expect(lines).toBeVisible();
  const rows = page.getByTestId('device-difference-row');
  await expect(rows).toHaveCount(2);
  for (const boundary of ['ILM', 'BM']) {
    const row = page.locator(`[data-testid="device-difference-row"][data-boundary="${boundary}"]`);
    await expect(row).toContainText(/\d+\.\d µm/);
    const um = Number(await row.getAttribute('data-um'));
    expect(um).toBeGreaterThan(0);
    expect(um).toBeLessThan(25);
  }
  await screenshot(page, 'device-lines');

  // the toggle and the key hide and show the device's lines; Stratum's layers stay
  await page.getByTestId('device-toggle').uncheck();
  await expect(lines).toHaveCount(0);
  await expect(page.getByTestId('overlay-canvas')).toBeVisible();
  await page.getByTestId('device-toggle').blur(); // keys do not fire while a form field has the focus
  await page.keyboard.press('d');
  await expect(page.getByTestId('device-lines')).toBeVisible();
});
