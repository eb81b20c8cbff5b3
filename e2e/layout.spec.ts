import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, screenshot, test } from './fixtures/app';
import { openAndSegment, segmentOpenScan } from './fixtures/scans';
import { writeFileSync } from 'node:fs';

/**
 * The layouts a clinician's laptop and a desktop monitor give, in the browser host: nothing may run off
 * the right edge (the page, or any panel that scrolls sideways), and the primary actions of each screen
 * must sit inside the window, not under the fold or hidden behind another element.
 */
const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const OCTID = resolve(ROOT, '../shared/data/octid-unannotated/NORMAL');
const SIZES = [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
] as const;

/** What runs off sideways: the page itself, and every element that scrolls or clips horizontally with more content than room. */
async function horizontalOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth + 1) found.push(`page: ${doc.scrollWidth} px wide in a ${window.innerWidth} px window`);
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      // text cut with an ellipsis is a decision, not an overflow
      if (style.textOverflow === 'ellipsis') continue;
      const clips = style.overflowX === 'auto' || style.overflowX === 'scroll' || style.overflowX === 'hidden';
      // a screen-reader-only element (1 px, clipped) holds its text on purpose
      if (clips && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 2) {
        const name = `${el.tagName.toLowerCase()}${el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : ''}.${Array.from(el.classList).join('.')}`;
        found.push(`${name}: content ${el.scrollWidth} px in ${el.clientWidth} px`);
      }
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > window.innerWidth + 1 && el.closest('[data-allow-overflow]') === null) {
        found.push(`${el.tagName.toLowerCase()}${el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : ''}: right edge at ${Math.round(r.right)} px`);
      }
    }
    return found;
  });
}

/** Each action that must be in the window and on top (not covered by another element): the ones that are not. */
async function unreachable(page: Page, testIds: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const id of testIds) {
    const el = page.getByTestId(id).first();
    if ((await el.count()) === 0) {
      out.push(`${id}: not on the page`);
      continue;
    }
    const problem = await el.evaluate((node) => {
      const r = node.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) return 'not shown';
      if (r.left < 0 || r.top < 0 || r.right > window.innerWidth + 1 || r.bottom > window.innerHeight + 1) {
        return `outside the window (${Math.round(r.left)},${Math.round(r.top)})-(${Math.round(r.right)},${Math.round(r.bottom)}) in ${window.innerWidth}x${window.innerHeight}`;
      }
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return hit && (hit === node || node.contains(hit) || hit.contains(node)) ? null : `covered by ${hit?.tagName.toLowerCase() ?? 'nothing'}`;
    });
    if (problem) out.push(`${id}: ${problem}`);
  }
  return out;
}

async function expectFits(page: Page, where: string, actions: string[]) {
  // after a resize, let the size observers and one paint catch up before measuring
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  expect(await horizontalOverflow(page), `${where}: horizontal overflow`).toEqual([]);
  expect(await unreachable(page, actions), `${where}: primary actions out of reach`).toEqual([]);
}

let folder = '';
test.beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'stratum-layout-'));
  mkdirSync(join(folder, 'NORMAL'));
  // 30 scans: more than a page, so the pager and the sticky bars are exercised
  for (let n = 26; n < 56; n++) copyFileSync(join(OCTID, `NORMAL${n}.jpeg`), join(folder, 'NORMAL', `NORMAL${n}.jpeg`));
});
test.afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

test('the catalog, the import panel and the viewer fit at 1280x720 and 1440x900', async ({ stratum }) => {
  test.setTimeout(240_000);
  const { page } = stratum;
  await page.setViewportSize(SIZES[0]);
  await page.getByTestId('empty-import').click();
  await page.getByTestId('import-path').fill(folder);
  await page.getByTestId('import-check').click();
  await expect(page.getByTestId('summary-import')).toHaveText('30');

  for (const size of SIZES) {
    await page.setViewportSize(size);
    const tag = `${size.width}x${size.height}`;
    await expectFits(page, `import panel (dry run) ${tag}`, ['import-path', 'import-check', 'import-start', 'check-data-folder']);
    await screenshot(page, `layout-import-${tag}`);
  }
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-progress')).toHaveAttribute('data-state', 'done');
  await page.getByRole('button', { name: 'Close import' }).click();
  // a long job title must not push its badge (or the check button) off the edge
  await expect(page.getByTestId('job').first()).toBeVisible();

  const catalogActions = ['open-import', 'filter-text', 'filter-date-from', 'filter-date-to', 'sort', 'select-all-matching', 'bulk-segment-unsegmented', 'bulk-trash', 'page-next', 'check-data-folder', 'job-state'];
  for (const size of SIZES) {
    await page.setViewportSize(size);
    const tag = `${size.width}x${size.height}`;
    await expectFits(page, `catalog ${tag}`, catalogActions);
    // "Acquired from … to …" stays on one row
    const [a, b] = await Promise.all([page.getByTestId('filter-date-from').boundingBox(), page.getByTestId('filter-date-to').boundingBox()]);
    expect(Math.abs((a?.y ?? 0) - (b?.y ?? 1))).toBeLessThan(2);
    // the search field shows its whole placeholder
    const cut = await page.getByTestId('filter-text').evaluate((input: HTMLInputElement) => {
      const ctx = document.createElement('canvas').getContext('2d')!;
      ctx.font = getComputedStyle(input).font;
      const pad = parseFloat(getComputedStyle(input).paddingLeft) + parseFloat(getComputedStyle(input).paddingRight);
      return ctx.measureText(input.placeholder).width + pad > input.clientWidth;
    });
    expect(cut, `${tag}: the search placeholder is cut`).toBe(false);
    await screenshot(page, `layout-catalog-${tag}`);
    // scrolled to the bottom, the filters and the pager are still there
    await page.locator('.catalog').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expectFits(page, `catalog scrolled ${tag}`, ['filter-text', 'select-all-matching', 'page-next']);
    await page.getByTestId('page-next').click();
    await expect(page.getByTestId('page-range')).toHaveText('25–30 of 30');
    // a new page starts at its top
    await expect.poll(() => page.locator('.catalog').evaluate((el) => el.scrollTop)).toBe(0);
    await page.getByTestId('page-prev').click();
  }
  await page.getByTestId('view-list').click();
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await expectFits(page, `catalog list ${size.width}x${size.height}`, ['sort-patient', 'sort-flagged', 'page-next']);
  }
  await page.getByTestId('view-grid').click();

  await page.getByTestId('scan-card').first().click();
  // before segmenting, Segment is the action that matters
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await expectFits(page, `viewer, not segmented ${size.width}x${size.height}`, ['back-to-catalog', 'next-scan', 'zoom-fit', 'segment-button', 'shortcuts-button']);
  }
  await segmentOpenScan(page);
  const viewerActions = ['back-to-catalog', 'next-scan', 'zoom-fit', 'image-reset', 'sign-off', 'export-pdf', 'overlay-toggle', 'mode-boundary', 'layer-solo-NFL', 'profile-toggle', 'shortcuts-button'];
  for (const size of SIZES) {
    await page.setViewportSize(size);
    const tag = `${size.width}x${size.height}`;
    await expectFits(page, `viewer ${tag}`, viewerActions);
    // the B-scan fills the space it has: no more than a sliver of black on the side it is fitted to
    const fill = await page.evaluate(() => {
      const view = document.querySelector('[data-testid=viewport]')!.getBoundingClientRect();
      const img = document.querySelector('[data-testid=scan-canvas]')!.getBoundingClientRect();
      return { width: img.width / view.width, height: img.height / (view.height - 28), imageWidth: img.width, area: (img.width * img.height) / (view.width * (view.height - 28)) };
    });
    expect(Math.max(fill.width, fill.height), `${tag}: the image fills neither the width nor the height`).toBeGreaterThan(0.97);
    // and the B-scan gets most of the screen's middle, not a strip between a tall profile and black gutters (it was 48 % at 1280x720)
    expect(fill.area, `${tag}: share of the viewer's picture area the B-scan covers`).toBeGreaterThan(0.55);
    test.info().annotations.push({ type: 'viewer', description: `${tag}: B-scan drawn ${Math.round(fill.imageWidth)} px wide` });
    await screenshot(page, `layout-viewer-${tag}`);
  }
});

test('the viewer at 1280x720: chart ticks, shared cursor, visits without glued deltas, Solo toggles, lines, reset, the O key', async ({ stratum }) => {
  test.setTimeout(180_000);
  const { page } = stratum;
  await page.setViewportSize(SIZES[0]);
  writeFileSync(join(folder, 'visits.csv'), ['file,patient_id,eye,date', 'NORMAL/NORMAL26.jpeg,P1,OD,2024-01-10', 'NORMAL/NORMAL29.jpeg,P1,OD,2026-03-15'].join('\n'));
  await page.getByTestId('empty-import').click();
  await page.getByTestId('import-path').fill(join(folder, 'visits.csv'));
  await page.getByTestId('import-check').click();
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-progress')).toHaveAttribute('data-state', 'done');
  await openAndSegment(page, 'NORMAL26.jpeg');
  await page.getByTestId('back-to-catalog').click();
  await openAndSegment(page, 'NORMAL29.jpeg');

  // round-number ticks on the thickness axis, the x-axis in mm from the fovea
  const yTicks = (await page.getByTestId('profile-y-tick').allTextContents()).map(Number);
  const step = yTicks[1]! - yTicks[0]!;
  expect(yTicks[0]).toBe(0);
  expect([1, 2, 5].some((m) => Number.isInteger(Math.log10(step / m)))).toBe(true);
  expect(yTicks.every((t, i) => t === i * step)).toBe(true);
  await expect(page.getByTestId('profile-x-label')).toHaveText(/mm from the fovea/);
  await expect(page.getByTestId('profile-x-tick').filter({ hasText: /^0(\.0+)?$/ })).toHaveCount(1);
  // hovering the chart reads out the values and marks the same column on the B-scan
  const chart = (await page.getByTestId('profile-svg').boundingBox())!;
  await page.mouse.move(chart.x + chart.width * 0.3, chart.y + chart.height * 0.5);
  await expect(page.getByTestId('profile-values')).toContainText(/mm/);
  await expect(page.getByTestId('profile-values')).toContainText(/Total \d+/);
  const column = await page.getByTestId('profile-values').getAttribute('data-column');
  await expect(page.getByTestId('bscan-cursor')).toHaveAttribute('data-column', column ?? 'x');
  // only the layers shown in the overlay panel are drawn; total retina is the widest line
  await page.getByTestId('layers-all-off').click();
  await expect(page.locator('[data-testid=profile-svg] path[data-series]')).toHaveCount(1);
  await page.getByTestId('layers-all-on').click();
  await expect(page.locator('[data-testid=profile-svg] path[data-series]')).toHaveCount(9);
  const widths = await page.locator('[data-testid=profile-svg] path[data-series]').evaluateAll((ps) => ps.map((p) => [p.getAttribute('data-series'), parseFloat(getComputedStyle(p).strokeWidth)] as const));
  const total = widths.find(([k]) => k === 'Total')![1];
  expect(widths.filter(([k]) => k !== 'Total').every(([, w]) => w < total)).toBe(true);

  // visits: a value and its change apart on one line, dates on one line
  const row = page.getByTestId('visit-row').nth(1);
  await expect(row).toContainText('2026-03-15');
  const cell = row.locator('td').nth(1);
  const gap = await cell.evaluate((td) => {
    const v = td.querySelector('.value')!.getBoundingClientRect();
    const d = td.querySelector('[data-testid=visit-delta]')!.getBoundingClientRect();
    return { gap: d.left - v.right, sameLine: Math.abs(d.top - v.top) < 4 };
  });
  expect(gap.gap).toBeGreaterThanOrEqual(2);
  expect(gap.sameLine).toBe(true);
  const dateCell = row.locator('td').first();
  const lineHeight = await dateCell.evaluate((td) => parseFloat(getComputedStyle(td).lineHeight) || parseFloat(getComputedStyle(td).fontSize) * 1.4);
  expect((await dateCell.boundingBox())!.height).toBeLessThan(lineHeight * 1.8);

  // Solo is a toggle: pressed again, the other layers come back
  await page.getByTestId('layer-solo-ONL').click();
  await expect(page.getByTestId('layer-solo-ONL')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('layer-toggle-NFL')).not.toBeChecked();
  await page.getByTestId('layer-solo-ONL').click();
  await expect(page.getByTestId('layer-solo-ONL')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('layer-toggle-NFL')).toBeChecked();
  // lines are drawn nearly opaque, fills keep their tint
  await page.getByTestId('mode-boundary').click();
  await expect(page.getByTestId('overlay-opacity')).toHaveValue('0.9');
  await page.getByTestId('mode-fill').click();
  await expect(page.getByTestId('overlay-opacity')).toHaveValue('0.45');
  // brightness and contrast have a reset
  await expect(page.getByTestId('image-reset')).toBeDisabled();
  await page.getByLabel('Brightness').fill('150');
  await expect(page.getByTestId('image-reset')).toBeEnabled();
  await page.getByTestId('image-reset').click();
  await expect(page.getByLabel('Brightness')).toHaveValue('100');
  // the overlay key is the letter O, set in a face where it cannot pass for the digit 0
  expect(await page.getByTestId('overlay-key').evaluate((k) => getComputedStyle(k).fontFamily)).not.toMatch(/mono/i);
  await screenshot(page, 'layout-viewer-visits-1280x720');
});
