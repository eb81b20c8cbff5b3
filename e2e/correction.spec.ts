import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { expect, screenshot, test } from './fixtures/app';
import { dragAlongRow, layerAt, screenAt } from './fixtures/canvas';
import { overlayColourCounts } from './fixtures/overlay';
import { importFolder, openAndSegment, startImport, useScanFolder } from './fixtures/scans';

const folder = useScanFolder();

test('correct a boundary: draw it, undo, save; thickness, review state and the report follow', async ({ stratum }) => {
  const { page } = stratum;
  await importFolder(page, folder());
  await openAndSegment(page, 'NORMAL26.jpeg');
  await expect(page.getByTestId('edit-start')).toBeVisible();
  // Deep below the choroid there is no layer.
  expect(await layerAt(page, 375, 470)).toBe('No layer');
  const choroidBefore = (await overlayColourCounts(page)).Choroid!;

  await page.getByTestId('edit-start').click();
  await page.getByTestId('edit-boundary').selectOption({ label: 'Choroid bottom' });
  const draw = () => dragAlongRow(page, 480, 300, 450);
  await draw();
  // The overlay shows the edit at once: the choroid now reaches row 480 over 150 columns.
  await expect.poll(async () => (await overlayColourCounts(page)).Choroid! - choroidBefore).toBeGreaterThan(150 * 100);
  await expect(page.getByTestId('edit-changed')).not.toContainText('Changed: 0.00 %');
  await page.getByTestId('edit-undo').click();
  await expect(page.getByTestId('edit-changed')).toContainText('Changed: 0.00 %');
  await expect(page.getByTestId('edit-save')).toBeDisabled();
  await draw();
  // Unsaved strokes hold the viewer: no leaving by button or key until Save or Cancel.
  await expect(page.getByTestId('back-to-catalog')).toBeDisabled();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('boundary-editor')).toBeVisible();
  await screenshot(page, 'viewer-correction');
  await page.getByTestId('edit-save').click();

  await expect(page.getByTestId('boundary-editor')).toHaveCount(0);
  await expect(page.getByTestId('correction-status')).toContainText('% of labelled pixels changed');
  await expect(page.getByTestId('compare-manual')).toHaveText('Corrected');
  await expect(page.getByTestId('compare-manual')).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByTestId('scan-review-status')).toHaveText('Corrected');
  // Readouts describe the corrected segmentation: the pixel is choroid now, with a thickness.
  expect(await layerAt(page, 375, 470)).toBe('Choroid');
  await expect(page.getByTestId('readout-thickness')).toContainText('µm thick');
  // The model's own segmentation is kept: switching back shows no layer there.
  await page.getByTestId('compare-model').click();
  expect(await layerAt(page, 375, 470)).toBe('No layer');

  // The report is made from the correction and says how much was corrected by hand.
  await page.getByTestId('export-pdf').click();
  const saved = page.getByTestId('export-path');
  await expect(saved).toContainText('.pdf');
  const pdf = ((await saved.getAttribute('title')) ?? '').trim();
  const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
  expect(text).toMatch(/Segmentation: corrected by \S+/);
  expect(text).toMatch(/Corrected share of pixels: \d+\.\d %/);

  // The catalog filter finds it as corrected.
  await page.getByTestId('back-to-catalog').click();
  await page.getByTestId('filter-review').selectOption('corrected');
  await expect(page.getByTestId('scan-card')).toHaveCount(1);
  await expect(page.getByTestId('scan-card').first()).toContainText('NORMAL26.jpeg');
});

// Issue 13 item 2: saving this correction (a 9.7 MB label map) closed the socket with 1009 and ended the host.
test('a boundary correction of a 3300x2200 scan saves', async ({ stratum }) => {
  const { page } = stratum;
  const wide = mkdtempSync(join(tmpdir(), 'stratum-wide-'));
  try {
    await sharp(join(folder(), 'NORMAL', 'NORMAL26.jpeg')).resize(3300, 2200).greyscale().png().toFile(join(wide, 'wide-scan.png'));
    await startImport(page, wide, 1);
    await expect(page.getByTestId('import-progress')).toHaveAttribute('data-state', 'done');
    await openAndSegment(page, 'wide-scan.png');

    await page.getByTestId('edit-start').click();
    await page.getByTestId('edit-boundary').selectOption({ label: 'Choroid bottom' });
    const a = await screenAt(page, 1000, 2000);
    const b = await screenAt(page, 2000, 2000);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(b.x, b.y, { steps: 15 });
    await page.mouse.up();
    await expect(page.getByTestId('edit-changed')).not.toContainText('Changed: 0.00 %');
    await page.getByTestId('edit-save').click();

    await expect(page.getByTestId('boundary-editor')).toHaveCount(0, { timeout: 60_000 });
    await expect(page.getByTestId('correction-status')).toContainText('% of labelled pixels changed');
    await expect(page.getByTestId('scan-review-status')).toHaveText('Corrected');
  } finally {
    rmSync(wide, { recursive: true, force: true });
  }
});
