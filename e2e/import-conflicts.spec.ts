import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, screenshot, test } from './fixtures/app';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const NORMAL = resolve(ROOT, '../shared/data/octid-unannotated/NORMAL');

test('a manifest row whose patient differs is shown per row and imported only by an explicit choice; skipped files say why', async ({ stratum }) => {
  const { page } = stratum;
  const folder = mkdtempSync(join(tmpdir(), 'stratum-conflict-e2e-'));
  try {
    for (const n of ['NORMAL26.jpeg', 'NORMAL27.jpeg']) copyFileSync(join(NORMAL, n), join(folder, n));
    writeFileSync(join(folder, 'first.csv'), 'file,patient_id,name,birth_date\nNORMAL26.jpeg,P1,Doe,1950-03-04\n');
    writeFileSync(join(folder, 'second.csv'), 'file,patient_id,name,birth_date\nNORMAL27.jpeg,P1,Other Name,1999-09-09\n');
    writeFileSync(join(folder, 'animation.gif'), 'GIF89a');

    await page.getByTestId('empty-import').click();
    await page.getByTestId('import-path').fill(join(folder, 'first.csv'));
    await page.getByTestId('import-check').click();
    await page.getByTestId('import-start').click();
    await expect(page.getByTestId('result-imported')).toHaveText('1');

    await page.getByTestId('import-path').fill(join(folder, 'second.csv'));
    await page.getByTestId('import-check').click();
    await expect(page.getByTestId('summary-import')).toHaveText('0');
    const conflict = page.getByTestId('import-failure').filter({ hasText: 'NORMAL27.jpeg' });
    await expect(conflict).toHaveAttribute('data-code', 'PATIENT_CONFLICT');
    await expect(conflict).toContainText('Line 2 of the manifest: name and birth_date differ');
    await screenshot(page, 'import-patient-conflict');

    await page.getByTestId('import-conflict-policy').selectOption('keep');
    await expect(page.getByTestId('summary-import')).toHaveText('1');
    await expect(page.getByTestId('import-notice')).toHaveAttribute('data-code', 'PATIENT_CONFLICT_KEPT');
    await page.getByTestId('import-start').click();
    await expect(page.getByTestId('result-imported')).toHaveText('1');
    await expect(page.getByTestId('import-notice')).toContainText("attached, the catalog's details kept");

    await page.getByTestId('import-path').fill(folder);
    await page.getByTestId('import-check').click();
    await expect(page.getByTestId('import-skip').filter({ hasText: 'animation.gif' })).toHaveAttribute('data-reason', 'NOT_AN_IMAGE_TYPE');
    await expect(page.getByTestId('import-skip').filter({ hasText: 'animation.gif' })).toContainText('A .gif file');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
