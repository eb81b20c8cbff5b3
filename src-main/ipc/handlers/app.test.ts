import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServices, type HostDialogs, type Services } from '../../services/container';
import { createDispatcher } from '../dispatcher';
import { createHandlers } from '.';

let s: Services | null = null;
let home = '';
afterEach(async () => {
  await s?.close();
  rmSync(home, { recursive: true, force: true });
});

function dispatcherFor(dialogs?: HostDialogs) {
  home = mkdtempSync(join(tmpdir(), 'stratum-app-'));
  s = createServices({ home, host: dialogs ? 'electron' : 'node', dialogs });
  return createDispatcher(createHandlers(s));
}

describe('app.pickPath', () => {
  it('is NOT_AVAILABLE on the browser host, which has no native dialog', async () => {
    const dispatch = dispatcherFor();
    expect(await dispatch('app.pickPath', { kind: 'folder', title: 'Pick' })).toMatchObject({ ok: false, error: { code: 'NOT_AVAILABLE' } });
  });

  it("returns what the shell's picker returns, null when cancelled (the dialog itself is the shell's)", async () => {
    const asked: string[] = [];
    let answer: string | null = '/data/clinic-export';
    const dispatch = dispatcherFor({ pickPath: async (kind, title) => (asked.push(`${kind}:${title}`), answer) });
    expect(await dispatch('app.pickPath', { kind: 'folder-or-manifest', title: 'Import' })).toEqual({ ok: true, value: { path: '/data/clinic-export' } });
    answer = null;
    expect(await dispatch('app.pickPath', { kind: 'folder', title: 'Again' })).toEqual({ ok: true, value: { path: null } });
    expect(asked).toEqual(['folder-or-manifest:Import', 'folder:Again']);
    expect(await dispatch('app.pickPath', { kind: 'file', title: 'x' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });
});
