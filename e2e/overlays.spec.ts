import { readFileSync } from 'node:fs';
import { expect, screenshot, test } from './fixtures/app';
import { importFolder, useScanFolder, openAndSegment } from './fixtures/scans';
import { overlayColourCounts } from './fixtures/overlay';
import { LAYERS } from '../src-shared/domain/layers';

const folder = useScanFolder();

test('segment, toggle a layer on the canvas, hover a thickness, profile cursor follows, sign off', async ({ stratum }) => {
  const { page } = stratum;
  await importFolder(page, folder());
  await openAndSegment(page, 'NORMAL26.jpeg');

  // Overlays from the stored label map: every layer is painted somewhere.
  await expect(page.getByTestId('overlay-canvas')).toBeVisible();
  await expect.poll(async () => (await overlayColourCounts(page)).ONL).toBeGreaterThan(1000);
  const before = await overlayColourCounts(page);
  for (const layer of LAYERS) expect(before[layer.key], layer.key).toBeGreaterThan(0);

  // Toggling NFL removes exactly the NFL pixels and leaves the others.
  await page.getByTestId('layer-toggle-NFL').click();
  await expect.poll(async () => (await overlayColourCounts(page)).NFL).toBe(0);
  const after = await overlayColourCounts(page);
  expect(after.ONL).toBe(before.ONL);
  // Shortcuts act when no form control has focus (typing in a field must not toggle layers).
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('1'); // keyboard toggles it back
  await expect.poll(async () => (await overlayColourCounts(page)).NFL).toBe(before.NFL);
  for (const key of ['2', '3', '2', '3', 'o', 'o']) await page.keyboard.press(key);
  // Repaint times of a 750x500 overlay, measured in the page (a figure for the report, not an assertion).
  const paints = await page.evaluate(() => performance.getEntriesByName('stratum:overlay-paint').map((e) => e.duration));
  const sorted = [...paints].sort((a, b) => a - b);
  test.info().annotations.push({ type: 'overlay repaint ms (median / max)', description: `${sorted[Math.floor(sorted.length / 2)]?.toFixed(1)} / ${sorted.at(-1)?.toFixed(1)} over ${paints.length} paints` });
  console.log(`overlay repaint: median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(1)} ms, max ${sorted.at(-1)?.toFixed(1)} ms over ${paints.length} paints`);

  // Hover the middle of the retina band: a layer name and thicknesses with their unit.
  const canvas = page.getByTestId('scan-canvas');
  const box = (await canvas.boundingBox())!;
  const size = await canvas.evaluate((el) => ({ w: (el as HTMLCanvasElement).width, h: (el as HTMLCanvasElement).height }));
  await page.mouse.move(box.x + box.width * 0.25, box.y + box.height * 0.5);
  await expect(page.getByTestId('readout-total')).toContainText('µm');
  // The profile's cursor sits on the hovered column.
  const column = Math.floor(0.25 * size.w);
  const cursor = page.getByTestId('profile-cursor');
  await expect(cursor).toBeAttached(); // a vertical SVG line has an empty bounding box, so not 'visible' to Playwright
  expect(Math.abs(Number(await cursor.getAttribute('data-column')) - column)).toBeLessThanOrEqual(3);
  await expect(page.getByTestId('zone-table')).toContainText('NFL');
  await screenshot(page, 'viewer-overlays');

  // Sign-off: of the segmentation shown, with who and when.
  await expect(page.getByTestId('sign-off')).toContainText('Sign off model ');
  await page.getByTestId('sign-off').click();
  await expect(page.getByTestId('review-status')).toContainText('Signed off by');
  await expect(page.getByTestId('scan-review-status')).toHaveText('Signed off');
});

test('export a PDF report from the viewer, then a combined batch report from the catalog', async ({ stratum }) => {
  const { page } = stratum;
  await importFolder(page, folder());
  await openAndSegment(page, 'NORMAL27.jpeg');
  await page.getByTestId('export-pdf').click();
  const saved = page.getByTestId('export-path');
  await expect(saved).toContainText('.pdf');
  const path = ((await saved.getAttribute('title')) ?? '').trim();
  expect(path.startsWith(stratum.home)).toBe(true);
  expect(readFileSync(path).subarray(0, 5).toString()).toBe('%PDF-');

  await page.getByTestId('back-to-catalog').click();
  await page.getByTestId('select-all-matching').click();
  await page.getByTestId('batch-report').click();
  await expect(page.getByTestId('batch-report-state')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  // One segmented scan goes into the combined PDF; the four unsegmented ones are reported, not silently dropped.
  await expect(page.getByTestId('batch-report-result')).toContainText('1 file written, 4 scans skipped');
  const combined = ((await page.getByTestId('batch-report-result').getAttribute('title')) ?? '').split('\n')[0]!;
  expect(readFileSync(combined).subarray(0, 5).toString()).toBe('%PDF-');
});
