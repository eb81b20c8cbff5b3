import type { Page } from '@playwright/test';
import { expect, screenshot, test } from './fixtures/app';
import { screenAt } from './fixtures/canvas';
import { importFolder, useScanFolder, openAndSegment } from './fixtures/scans';

const folder = useScanFolder();

/** The zone table as text: header cells, and the Total row's cells by header. */
async function zoneTable(page: Page): Promise<{ headers: string[]; total: Record<string, string> }> {
  const table = page.getByTestId('zone-table');
  const headers = (await table.locator('thead th').allTextContents()).map((t) => t.trim());
  const cells = (await table.locator('tr.total-row > *').allTextContents()).map((t) => t.trim());
  return { headers, total: Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? ''])) };
}

test('setting the eye flips the zones: nasal and temporal change sides, the numbers stay with the image', async ({ stratum }) => {
  const { page } = stratum;
  await importFolder(page, folder());
  await openAndSegment(page, 'NORMAL26.jpeg');
  await expect(page.getByTestId('zone-table')).toBeVisible();
  // the import read the Cirrus marker: OD, nasal on the image's right
  await expect(page.getByTestId('zone-eye')).toHaveAttribute('data-eye', 'OD');
  const before = await zoneTable(page);
  expect(before.headers).toEqual(['Layer', 'T outer', 'T inner', 'Centre', 'N inner', 'N outer', 'Mean']);
  expect(before.total['T outer']).toMatch(/^\d+$/);

  await page.getByTestId('edit-details').click();
  await expect(page.getByTestId('meta-eye')).toHaveValue('OD');
  await page.getByTestId('meta-eye').selectOption('OS');
  await screenshot(page, 'viewer-edit-details');
  await page.getByTestId('meta-save').click();
  await expect(page.getByTestId('edit-details-saved')).toContainText('recomputed for 1 segmentation');

  await expect(page.getByTestId('zone-eye')).toHaveAttribute('data-eye', 'OS');
  await expect(page.getByTestId('zone-eye')).toHaveAttribute('data-eye-source', 'user');
  await expect(page.getByTestId('scan-eye')).toContainText('OS');
  const after = await zoneTable(page);
  expect(after.headers).toEqual(['Layer', 'N outer', 'N inner', 'Centre', 'T inner', 'T outer', 'Mean']);
  // the left outer zone was temporal for OD and is nasal for OS: the same value, now under the other name
  expect(after.total['N outer']).toBe(before.total['T outer']);
  expect(after.total['T outer']).toBe(before.total['N outer']);
  expect(after.total.Centre).toBe(before.total.Centre);
});

test('a scale entered by hand rescales the µm values; a future date is refused beside its field', async ({ stratum }) => {
  const { page } = stratum;
  await importFolder(page, folder());
  await openAndSegment(page, 'NORMAL27.jpeg');
  const before = await zoneTable(page);
  await page.getByTestId('edit-details').click();
  await page.getByTestId('meta-acquired').fill('2999-01-01');
  await expect(page.getByTestId('meta-problem-acquiredAt')).toHaveText('The acquisition date is in the future');
  await expect(page.getByTestId('meta-save')).toBeDisabled();
  await page.getByTestId('meta-acquired').fill('2024-02-03');
  await page.getByTestId('meta-axial').fill('2');
  await expect(page.getByTestId('meta-save')).toBeEnabled();
  await page.getByTestId('meta-save').click();
  await expect(page.getByTestId('edit-details-saved')).toBeVisible();
  await expect(page.getByTestId('scale-provenance')).toHaveText('user');
  // 4 -> 2 µm per pixel: every thickness halves (±1 for rounding)
  await expect.poll(async () => Number((await zoneTable(page)).total.Mean)).toBeLessThan(Number(before.total.Mean) / 2 + 1);
  expect(Number((await zoneTable(page)).total.Mean)).toBeGreaterThan(Number(before.total.Mean) / 2 - 1);
  await expect(page.getByTestId('scan-meta')).toContainText('2024-02-03');
});

test('multi-select two scans in the catalog and set the device of both', async ({ stratum }) => {
  const { page } = stratum;
  await importFolder(page, folder());
  const card = (name: string) => page.getByRole('listitem').filter({ has: page.getByTestId('scan-card').filter({ hasText: name }) });
  await card('NORMAL26.jpeg').getByTestId('scan-select').check();
  await card('NORMAL28.jpeg').getByTestId('scan-select').check();
  await expect(page.getByTestId('selection-count')).toHaveText('2 selected');
  await page.getByTestId('edit-selected').click();
  await expect(page.getByTestId('metadata-form')).toContainText('Applied to each of the 2 selected scans');
  await page.getByTestId('meta-device').fill('Topcon Maestro2');
  await screenshot(page, 'catalog-edit-selected');
  await page.getByTestId('meta-save').click();
  await expect(page.getByTestId('selection-saved')).toHaveText('Saved: 2 of 2 scans changed.');

  // the two scans, and only they, are found by their new device
  await page.getByTestId('filter-text').fill('Maestro2');
  await expect(page.getByTestId('scan-card')).toHaveCount(2);
  await expect(page.getByTestId('scan-card').filter({ hasText: 'NORMAL27.jpeg' })).toHaveCount(0);
  await page.getByTestId('scan-card').filter({ hasText: 'NORMAL28.jpeg' }).click();
  await expect(page.getByTestId('scan-meta')).toContainText('Topcon Maestro2');
});

test('correcting a boundary: the chosen one is lit before drawing, an ILM drawn into the vitreous is warned about', async ({ stratum }) => {
  const { page } = stratum;
  await importFolder(page, folder());
  await openAndSegment(page, 'NORMAL26.jpeg');
  await page.getByTestId('edit-start').click();
  await page.getByTestId('edit-boundary').selectOption({ label: 'ILM (top of NFL)' });
  await expect(page.getByTestId('overlay-canvas')).toHaveAttribute('data-highlighted-boundary', '0');
  await expect(page.getByTestId('edit-highlight')).toContainText('ILM (top of NFL) is drawn white');
  // the lit line: white overlay pixels, one run per column near the top of the retina
  const white = await page.getByTestId('overlay-canvas').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] === 255 && d[i + 1] === 255 && d[i + 2] === 255 && d[i + 3] === 255) n++;
    return n / c.width;
  });
  expect(white).toBeGreaterThan(1.5);

  // the vitreous of an OCTID Cirrus export: dark rows far above the retina
  const a = await screenAt(page, 300, 40);
  const b = await screenAt(page, 420, 40);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 20 });
  await page.mouse.up();
  const warning = page.getByTestId('edit-warning').filter({ hasText: 'into the vitreous' });
  await expect(warning).toHaveAttribute('data-kind', 'into-vitreous');
  await expect(warning).toContainText(/ILM \(top of NFL\) moved up into the vitreous by up to \d+ px \(\d+ µm\) over \d+ columns \(\d+-\d+\); TRT \+\d+ µm there\./);
  await expect(page.getByTestId('edit-trt')).toContainText('Mean TRT:');
  await screenshot(page, 'viewer-correction-warning');
  // warned, not blocked: saving stays possible, and undo clears the warning
  await expect(page.getByTestId('edit-save')).toBeEnabled();
  await page.getByTestId('edit-undo').click();
  await expect(page.getByTestId('edit-warnings')).toHaveCount(0);
});

test('without a scale the tables are in labelled pixels, not dashes; entering the scale brings µm and the zones', async ({ stratum }) => {
  const { page } = stratum;
  await importFolder(page, folder());
  // a renamed OCTID export: its name no longer says Cirrus, so no device profile and no scale
  await openAndSegment(page, '12_OS.jpeg');
  await expect(page.getByTestId('scale-provenance')).toHaveText('unknown');
  const table = page.getByTestId('zone-table');
  await expect(table).toHaveAttribute('data-zoned', 'false');
  await expect(table.locator('caption')).toHaveText('Mean thickness over the scan (px)');
  await expect(page.getByTestId('zone-note')).toHaveText('No zones: they need the lateral pixel spacing, which is unknown for this scan.');
  await expect(page.getByTestId('unit-note')).toContainText('In pixels');
  const px = await zoneTable(page);
  expect(px.headers).toEqual(['Layer', 'Mean']);
  expect(px.total.Mean).toMatch(/^\d+$/);
  await expect(table.locator('td', { hasText: '—' })).toHaveCount(0);
  await expect(page.getByText('Thickness along the scan (px)')).toBeVisible();

  await page.getByTestId('edit-details').click();
  await page.getByTestId('meta-axial').fill('4');
  await page.getByTestId('meta-lateral').fill('8');
  await page.getByTestId('meta-save').click();
  await expect(table).toHaveAttribute('data-zoned', 'true');
  await expect(table.locator('caption')).toHaveText('Mean thickness per zone (µm)');
  const um = await zoneTable(page);
  expect(Math.abs(Number(um.total.Mean) - 4 * Number(px.total.Mean))).toBeLessThanOrEqual(4);
  await expect(page.getByTestId('unit-note')).toHaveCount(0);
});
