import { describe, expect, it } from 'vitest';
import type { WireResult } from '../../src-shared/contract';
import { createGuardedInvoke } from './ipc-guard';

/** A dispatcher that records what reached it: the point is what never does. */
function recordingDispatch() {
  const calls: Array<[unknown, unknown]> = [];
  const dispatch = async (channel: unknown, payload: unknown): Promise<WireResult> => {
    calls.push([channel, payload]);
    return { ok: true, value: 'dispatched' };
  };
  return { calls, dispatch };
}

const appFrame = { url: 'app://stratum/index.html', parent: null };

describe('the guarded ipcMain.handle callback', () => {
  it('dispatches a call from the main window top frame on app://stratum', async () => {
    const { calls, dispatch } = recordingDispatch();
    const invoke = createGuardedInvoke(dispatch, () => 5);
    await expect(invoke({ sender: { id: 5 }, senderFrame: appFrame }, 'app.info', {})).resolves.toEqual({ ok: true, value: 'dispatched' });
    expect(calls).toEqual([['app.info', {}]]);
  });

  it.each([
    ['another webContents', { sender: { id: 6 }, senderFrame: appFrame }],
    ['a sub-frame', { sender: { id: 5 }, senderFrame: { url: 'app://stratum/index.html', parent: appFrame } }],
    ['a destroyed frame', { sender: { id: 5 }, senderFrame: null }],
    ['a file:// page in the main window', { sender: { id: 5 }, senderFrame: { url: 'file:///tmp/evil.html', parent: null } }],
    ['a remote page in the main window', { sender: { id: 5 }, senderFrame: { url: 'https://evil.example/', parent: null } }],
  ])('refuses %s with UNAUTHORISED before the dispatcher sees it', async (_what, event) => {
    const { calls, dispatch } = recordingDispatch();
    const invoke = createGuardedInvoke(dispatch, () => 5);
    const result = await invoke(event, 'catalog.delete', { scanId: 1 });
    expect(result).toMatchObject({ ok: false, error: { code: 'UNAUTHORISED' } });
    expect(calls).toEqual([]);
  });

  it('refuses everything once the main window is closed', async () => {
    const { calls, dispatch } = recordingDispatch();
    const invoke = createGuardedInvoke(dispatch, () => null);
    expect((await invoke({ sender: { id: 5 }, senderFrame: appFrame }, 'app.info', {})).ok).toBe(false);
    expect(calls).toEqual([]);
  });
});
