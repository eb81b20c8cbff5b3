/**
 * A combined batch report written by a separate process (forked by outputs-report.test.ts, bundled by
 * esbuild first), so the test can SIGKILL it mid-write. Tells the parent each page it composes.
 */
import { createServices } from '../../src-main/services/container';
import { createReportService } from '../../src-main/services/reports';

const [home, dir, ids] = process.argv.slice(2) as [string, string, string];
const s = createServices({ home, host: 'node' });
const controller = new AbortController();
void createReportService(s)
  .runBatch({ signal: controller.signal, progress: async (_f, _stage, detail) => void process.send?.({ type: 'page', detail }) }, ids.split(',').map(Number), true, dir)
  .then(async () => {
    await s.close();
    process.send?.({ type: 'done' });
  });
