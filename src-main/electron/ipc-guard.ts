import type { WireResult } from '../../src-shared/contract';
import { ipcSenderOf, isTrustedIpcSender } from './policy';

type InvokeEvent = Parameters<typeof ipcSenderOf>[0];

/**
 * The ipcMain.handle callback for contract calls: the sender is checked before anything else, and
 * only a message from the main window's top frame on app://stratum reaches the dispatcher (which
 * then parses the payload against the channel's schema). ipc-bridge.ts registers it.
 */
export function createGuardedInvoke(
  dispatch: (channel: unknown, payload: unknown) => Promise<WireResult>,
  mainWebContentsId: () => number | null,
): (event: InvokeEvent, channel: unknown, payload: unknown) => Promise<WireResult> {
  return async (event, channel, payload) => {
    const trust = isTrustedIpcSender(ipcSenderOf(event), mainWebContentsId());
    if (!trust.allowed) return { ok: false, error: { code: 'UNAUTHORISED', message: `IPC refused: ${trust.reason}` } };
    return dispatch(channel, payload);
  };
}
