import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { segmentOpenScan } from './fixtures/scans';
import { expect, screenshot, test } from './fixtures/app';
import { docsScreenshot } from './fixtures/docs-shots';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const DEEPEYE = resolve(ROOT, '../shared/data/octid-deepeye');

test('a manual annotation attached to a scan is shown against the model: model, manual and difference views', async ({ stratum }) => {
  const { page } = stratum;
  const folder = mkdtempSync(join(tmpdir(), 'stratum-gt-'));
  const masks = mkdtempSync(join(tmpdir(), 'stratum-gt-masks-'));
  copyFileSync(join(DEEPEYE, 'images', 'NORMAL160.jpeg'), join(folder, 'NORMAL160.jpeg'));
  try {
    await page.getByTestId('empty-import').click();
    await page.getByTestId('import-path').fill(folder);
    await page.getByTestId('import-check').click();
    await page.getByTestId('import-start').click();
    await expect(page.getByTestId('scan-card')).toHaveCount(1);

    // Attach the DeepEye annotation as a manual segmentation (convert.vgg with intoCatalog), over the contract.
    const state = await page.evaluate(
      async ({ labelsPath, imagesDir, outDir }) => {
        const token = new URLSearchParams(location.hash.slice(1)).get('token');
        const ws = new WebSocket(`ws://${location.host}/ipc?token=${token}`);
        await new Promise((r) => ws.addEventListener('open', r, { once: true }));
        let next = 1;
        const call = (channel: string, payload: unknown) =>
          new Promise<{ ok: boolean; value?: { jobId?: string; state?: string } }>((resolveCall) => {
            const id = next++;
            const onMessage = (m: MessageEvent) => {
              const data = JSON.parse(String(m.data)) as { kind: string; id?: number; result?: { ok: boolean; value?: { jobId?: string; state?: string } } };
              if (data.kind === 'result' && data.id === id) {
                ws.removeEventListener('message', onMessage);
                resolveCall(data.result!);
              }
            };
            ws.addEventListener('message', onMessage);
            ws.send(JSON.stringify({ id, channel, payload }));
          });
        const started = await call('convert.vgg', { labelsPath, imagesDir, outDir, intoCatalog: true });
        for (let i = 0; i < 240; i++) {
          const job = await call('jobs.get', { jobId: started.value?.jobId });
          if (job.value?.state && ['done', 'failed', 'cancelled'].includes(job.value.state)) return job.value.state;
          await new Promise((r) => setTimeout(r, 250));
        }
        return 'timeout';
      },
      { labelsPath: join(DEEPEYE, 'labels-vgg.json'), imagesDir: join(DEEPEYE, 'images'), outDir: masks },
    );
    expect(state).toBe('done');

    await page.getByTestId('scan-card').first().click();
    await segmentOpenScan(page);
    await expect(page.getByTestId('compare')).toBeVisible();

    const painted = () =>
      page.getByTestId('overlay-canvas').evaluate((el) => {
        const c = el as HTMLCanvasElement;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
        return n;
      });
    const modelPixels = await painted();
    await page.getByTestId('compare-difference').click();
    await expect(page.getByTestId('disagreement')).toContainText('%');
    const differing = await painted();
    // The model agrees with the annotator on most labelled pixels (IoU ~0.7), so the difference is a minority.
    expect(differing).toBeGreaterThan(0);
    expect(differing).toBeLessThan(modelPixels / 2);
    await screenshot(page, 'viewer-difference');
    await docsScreenshot(page, 'viewer-difference');
    await page.getByTestId('compare-manual').click();
    await expect.poll(painted).not.toBe(differing);
  } finally {
    rmSync(folder, { recursive: true, force: true });
    rmSync(masks, { recursive: true, force: true });
  }
});
