/**
 * One contender in the catalog-lock race (forked by lock-race.test.ts, bundled by esbuild first). The
 * parent sends a round: the contender sleeps until the shared start time, spins the last milliseconds so
 * every contender calls acquireCatalogLock at the same moment, reports whether it won, and a winner
 * holds the lock until the parent says release.
 */
import { acquireCatalogLock } from '../../src-main/services/catalog/lock';

type Command = { type: 'round'; round: number; home: string; at: number } | { type: 'release'; round: number } | { type: 'exit' };

const nap = new Int32Array(new SharedArrayBuffer(4));
let held: (() => void) | null = null;

function send(msg: Record<string, unknown>): void {
  process.send?.(msg);
}

process.on('message', (cmd: Command) => {
  if (cmd.type === 'exit') process.exit(0);
  if (cmd.type === 'release') {
    held?.();
    held = null;
    send({ type: 'released', round: cmd.round });
    return;
  }
  const sleepMs = cmd.at - Date.now() - 3;
  if (sleepMs > 0) Atomics.wait(nap, 0, 0, sleepMs);
  while (Date.now() < cmd.at) {
    /* spin: all contenders leave this loop within the same millisecond */
  }
  try {
    held = acquireCatalogLock(cmd.home, `${cmd.home}/catalog.sqlite`);
    send({ type: 'result', round: cmd.round, pid: process.pid, won: true });
  } catch (error) {
    const e = error as { code?: string; message?: string };
    send({ type: 'result', round: cmd.round, pid: process.pid, won: false, code: e.code, message: e.message });
  }
});
send({ type: 'ready', pid: process.pid });
