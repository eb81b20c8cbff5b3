import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, screenshot, test } from './fixtures/app';
import { startImport } from './fixtures/scans';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const VOLUME = resolve(ROOT, '../shared/data/formats/heyex-xml-volume');

test('a volume: the en-face map pane switches layers, a click on the map opens that B-scan, the volume report names C0', async ({ stratum }) => {
  test.setTimeout(600_000);
  const { page } = stratum;
  // the volume spec's setup: import the Heidelberg XML volume, open it, segment all 145 B-scans
  await startImport(page, VOLUME, 1);
  await expect(page.getByTestId('import-progress')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await page.getByTestId('scan-card').click();
  const pane = page.getByTestId('enface-pane');
  await expect(pane).toBeVisible();
  await page.getByTestId('segment-button').click();
  await expect(page.getByTestId('segment-state')).toHaveAttribute('data-state', 'done', { timeout: 540_000 });

  // the total retina map (Stratum's): the grid's values, the superior and inferior outer subfields partial
  const layer = pane.getByTestId('enface-layer');
  await layer.selectOption('total');
  const map = pane.getByTestId('enface-map');
  await expect(map).toHaveAttribute('data-layer', 'total', { timeout: 60_000 });
  await expect(map).toHaveAttribute('data-source', 'stratum');
  const subfield = (name: string) => pane.locator(`[data-testid="enface-subfield"][data-subfield="${name}"]`);
  await expect(subfield('C0')).toHaveAttribute('data-partial', 'false');
  await expect(subfield('C0')).toHaveAttribute('data-coverage', '100');
  await expect(subfield('C0')).toHaveText(/^\d{3}$/);
  await expect(subfield('S2')).toHaveAttribute('data-partial', 'true');
  await expect(subfield('I2')).toHaveAttribute('data-partial', 'true');
  await expect(subfield('S2')).toHaveText(/\*$/);
  const legend = pane.getByTestId('enface-legend');
  await expect(legend).toContainText('µm');
  const totalRange = [await legend.getAttribute('data-min'), await legend.getAttribute('data-max')];
  const totalC0 = await subfield('C0').textContent();
  await screenshot(page, 'enface-total');

  // switch to the RPE complex: a thin layer, so the scale's range and the grid's values change
  await layer.selectOption('RPE');
  await expect(map).toHaveAttribute('data-layer', 'RPE');
  await expect(legend).not.toHaveAttribute('data-max', totalRange[1]!);
  expect(Number(await legend.getAttribute('data-max'))).toBeLessThan(Number(totalRange[1]));
  await expect(subfield('C0')).not.toHaveText(totalC0!);
  // and GCL+IPL
  await layer.selectOption('GCL+IPL');
  await expect(map).toHaveAttribute('data-layer', 'GCL+IPL');
  await expect(legend).toContainText('µm');

  // the current B-scan's line is drawn; a click near the map's bottom edge opens a B-scan there
  const shown = page.getByTestId('bscan-index');
  const before = Number(await shown.getAttribute('data-index'));
  await expect(pane.getByTestId('enface-bscan-line')).toHaveAttribute('data-index', String(before));
  const click = pane.getByTestId('enface-click');
  const box = (await click.boundingBox())!;
  // the fovea's centre: the middle of the ETDRS circles, about the middle B-scan
  await click.click({ position: { x: box.width / 2, y: box.height / 2 } });
  await expect(shown).not.toHaveAttribute('data-index', String(before));
  const middle = Number(await shown.getAttribute('data-index'));
  expect(middle).toBeGreaterThan(30);
  expect(middle).toBeLessThan(115);
  await expect(pane.getByTestId('enface-bscan-line')).toHaveAttribute('data-index', String(middle));
  await screenshot(page, 'enface-clicked');

  // the volume report: a PDF whose text names the central subfield
  await pane.getByTestId('enface-export').click();
  const written = pane.getByTestId('enface-report-path');
  await expect(written).toContainText('.pdf', { timeout: 120_000 });
  const pdf = (await written.textContent())!.replace(/^Wrote /, '').trim();
  expect(existsSync(pdf)).toBe(true);
  const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
  expect(text).toMatch(/\bC0\b/);
});
