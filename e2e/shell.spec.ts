import { expect, screenshot, test } from './fixtures/app';

test.describe('app shell and the IPC round trip', () => {
  test('shows the shell with version, engine and model, and main\'s data folder', async ({ stratum }) => {
    const { page, home } = stratum;
    await expect(page.getByRole('heading', { name: 'Catalog' })).toBeVisible();
    await expect(page.getByTestId('status-version')).toHaveText(/Stratum \d+\.\d+\.\d+/);
    // the execution provider, before any model has loaded: the one the load is expected to use; on CPU
    // the shipped model's int8 variant runs, and the status bar says so
    await expect(page.getByTestId('status-engine')).toContainText(/Engine: onnx \/ (cpu \(expected\), int8|(cuda|dml|coreml) \(expected\))/);
    await expect(page.getByTestId('status-model')).toContainText('Model:');
    // The data folder shown comes from main over the contract (app.info), not from the page.
    await expect(page.getByTestId('data-folder')).toHaveText(home);
    await screenshot(page, 'shell');
  });

  test('a data-folder check runs as a job and ends done', async ({ stratum }) => {
    const { page } = stratum;
    await page.getByTestId('check-data-folder').click();
    const job = page.getByTestId('job').first();
    await expect(job).toHaveAttribute('data-state', 'done');
  });
});

test.describe('cancelling a job', () => {
  test.use({ slowJobsMs: 1500 });
  test('a running job can be cancelled and ends as cancelled, not failed', async ({ stratum }) => {
    const { page } = stratum;
    await page.getByTestId('check-data-folder').click();
    const job = page.getByTestId('job').first();
    await expect(job).toHaveAttribute('data-state', 'running');
    await job.getByRole('button', { name: 'Cancel' }).click();
    await expect(job).toHaveAttribute('data-state', 'cancelled');
    await expect(job.getByRole('alert')).toHaveCount(0);
  });
});

test.describe('the host refuses what the contract does not allow', () => {
  test('a malformed request gets a VALIDATION error and the app keeps working', async ({ stratum }) => {
    test.skip(stratum.host !== 'browser', 'raw socket check is specific to the Node host');
    const { page } = stratum;
    const replies = await page.evaluate(async () => {
      const token = new URLSearchParams(location.hash.slice(1)).get('token');
      const ws = new WebSocket(`ws://${location.host}/ipc?token=${token}`);
      await new Promise((r) => ws.addEventListener('open', r, { once: true }));
      const messages: unknown[] = [];
      const got = new Promise<void>((r) => ws.addEventListener('message', (m) => { messages.push(JSON.parse(String(m.data))); if (messages.length >= 3) r(); }));
      ws.send(JSON.stringify({ id: 1, channel: 'jobs.cancel', payload: { jobId: 42 } }));
      ws.send(JSON.stringify({ id: 2, channel: 'no.such.channel', payload: {} }));
      ws.send('this is not json');
      await got;
      ws.close();
      return messages;
    });
    const byId = (id: number) => replies.find((m) => (m as { id?: number }).id === id) as { result: { ok: boolean; error: { code: string } } };
    expect(byId(1).result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(byId(2).result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(byId(-1).result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    // Still alive: a normal round trip after the bad ones.
    await page.reload();
    await expect(page.getByTestId('status-version')).toHaveText(/Stratum/);
  });

  test('a socket without the per-launch secret is refused', async ({ stratum }) => {
    test.skip(stratum.host !== 'browser', 'Node host only');
    const { page } = stratum;
    const outcome = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(`ws://${location.host}/ipc?token=wrong`);
          ws.addEventListener('open', () => resolve('open'));
          ws.addEventListener('error', () => resolve('refused'));
        }),
    );
    expect(outcome).toBe('refused');
  });
});
