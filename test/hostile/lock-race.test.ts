import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../src-main/services/catalog/lock';

/**
 * Issue 13 item 3: separate processes race for one catalog lock, released at the same millisecond.
 * Exactly one may win each round, whatever the folder holds: nothing yet, a lock just released, a dead
 * owner's record (new or old format), or the lock of a contender killed with SIGKILL while holding it.
 */
const ROOT = join(__dirname, '..', '..');
const ROUNDS = 200;
const CONTENDERS = 4;

interface Result {
  type: 'result';
  round: number;
  pid: number;
  won: boolean;
  code?: string;
  message?: string;
}

let work: string;
let script: string;
let deadPid: number;
const contenders: ChildProcess[] = [];
const inbox = new Map<ChildProcess, unknown[]>();
const waiters = new Map<ChildProcess, () => void>();

function startContender(): Promise<ChildProcess> {
  const child = fork(script, [], { env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  inbox.set(child, []);
  child.on('message', (msg) => {
    inbox.get(child)!.push(msg);
    waiters.get(child)?.();
  });
  return next(child, 'ready').then(() => child);
}

/** The child's next message of `type` (messages arrive in order; earlier ones of other types are dropped). */
async function next<T>(child: ChildProcess, type: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const box = inbox.get(child)!;
    while (box.length) {
      const msg = box.shift() as { type: string };
      if (msg.type === type) return msg as T;
    }
    if (Date.now() > deadline) throw new Error(`contender ${child.pid}: no ${type} message`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1000);
      waiters.set(child, () => (clearTimeout(timer), resolve()));
    });
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'stratum-lock-race-'));
  script = join(work, 'lock-contender.cjs');
  await build({ entryPoints: [join(__dirname, 'lock-contender.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', outfile: script, logLevel: 'warning' });
  // a real pid that has certainly exited: a dead owner to leave records behind
  deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
  for (let i = 0; i < CONTENDERS; i++) contenders.push(await startContender());
}, 60_000);

afterAll(() => {
  for (const c of contenders) c.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

describe('catalog lock race (separate processes)', () => {
  it(`admits exactly one of ${CONTENDERS} contenders in each of ${ROUNDS} rounds`, async () => {
    let home = '';
    const tally = { rounds: 0, oneWinner: 0, killedHolders: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const scenario = round % 4;
      if (scenario === 0) home = mkdtempSync(join(work, `home-${round}-`)); // nothing there yet: the lock files are created in the race
      if (scenario === 2) writeFileSync(join(home, LOCK_FILE), JSON.stringify({ pid: deadPid, hostname: hostname(), startedAt: new Date().toISOString(), nonce: 'dead' }));
      if (scenario === 3) writeFileSync(join(home, LOCK_FILE), `${deadPid}\n`); // the old pid-only format
      const at = Date.now() + 25;
      for (const c of contenders) c.send({ type: 'round', round, home, at });
      const results = await Promise.all(contenders.map((c) => next<Result>(c, 'result')));
      const winners = results.filter((r) => r.won);
      tally.rounds++;
      if (winners.length === 1) tally.oneWinner++;
      expect(winners.map((w) => w.pid), `round ${round}: ${JSON.stringify(results)}`).toHaveLength(1);
      for (const loser of results.filter((r) => !r.won)) {
        expect(loser.code, loser.message).toBe('CONFLICT');
        expect(loser.message).toMatch(/^The catalog at .+catalog\.sqlite is open in another Stratum process/);
        // a named owner is the live winner, never a dead process's leftover record
        const named = /\(pid (\d+)\)/.exec(loser.message ?? '');
        if (named) expect(Number(named[1])).toBe(winners[0]!.pid);
      }
      const winner = contenders.find((c) => c.pid === winners[0]!.pid)!;
      if (round % 50 === 48) {
        // the holder dies without releasing; its lock must go with it and the next round still have one winner
        winner.kill('SIGKILL');
        await new Promise((resolve) => winner.once('exit', resolve));
        contenders.splice(contenders.indexOf(winner), 1, await startContender());
        tally.killedHolders++;
      } else {
        winner.send({ type: 'release', round });
        await next(winner, 'released');
      }
    }
    expect(tally).toEqual({ rounds: ROUNDS, oneWinner: ROUNDS, killedHolders: ROUNDS / 50 });
  }, 120_000);
});
