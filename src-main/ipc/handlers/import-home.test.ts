import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { haveSharedData, sharedData } from '../../../test-support/shared-data';
import { createServices, type Services } from '../../services/container';
import { createDispatcher } from '../dispatcher';
import { createHandlers } from '.';

const NORMAL = sharedData('octid-unannotated', 'NORMAL');

let s: Services | null = null;
const made: string[] = [];
const realHome = process.env.HOME;
afterEach(async () => {
  await s?.close();
  s = null;
  process.env.HOME = realHome;
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe.skipIf(!haveSharedData('octid-unannotated', 'NORMAL'))('a path typed in the app (import)', () => {
  it('reads "~/Downloads/..." as the home folder, not a "~" folder beside the app', async () => {
    const home = mkdtempSync(join(tmpdir(), 'stratum-import-home-data-'));
    const user = mkdtempSync(join(tmpdir(), 'stratum-import-home-user-'));
    made.push(home, user);
    const folder = join(user, 'Downloads', 'oct');
    mkdirSync(folder, { recursive: true });
    for (const f of readdirSync(NORMAL).sort().slice(0, 2)) copyFileSync(join(NORMAL, f), join(folder, f));
    process.env.HOME = user; // os.homedir() reads it
    s = createServices({ home, host: 'node' });
    const dispatch = createDispatcher(createHandlers(s));

    const dry = await dispatch('import.dryRun', { path: '~/Downloads/oct' });
    expect(dry).toMatchObject({ ok: true, value: { source: folder, found: 2, wouldImport: 2 } });
    const started = await dispatch('import.start', { path: '~/Downloads/oct' });
    expect(started.ok).toBe(true);
    const jobId = (started as { value: { jobId: string } }).value.jobId;
    const end = await s.jobs.wait(jobId);
    expect(end.state).toBe('done');
    expect(s.scans.count()).toBe(2);
  });
});
