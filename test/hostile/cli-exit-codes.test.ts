/**
 * Each exit status means one thing (src-main/cli/exit-codes.ts, printed by --help, copied in the README):
 * 0 ok, 1 some items failed, 2 usage, 3 not found, 4 catalog busy, 5 needs confirmation. Before, 1 meant a
 * lock conflict, "not found" and "some files failed" alike.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src-main/cli/exit-codes';
import { createServices } from '../../src-main/services/container';
import { haveSharedData, sharedData } from '../../test-support/shared-data';
import { buildMain, expectClearError, ROOT, runCli } from './cli-run';

const NORMAL = sharedData('octid-unannotated', 'NORMAL');
const have = haveSharedData('octid-unannotated', 'NORMAL');
let home: string;
let src: string;
let out: string;

beforeAll(() => {
  if (!have) return;
  buildMain();
  home = mkdtempSync(join(tmpdir(), 'stratum-cli-exit-home-'));
  src = mkdtempSync(join(tmpdir(), 'stratum-cli-exit-src-'));
  out = mkdtempSync(join(tmpdir(), 'stratum-cli-exit-out-'));
  for (const f of readdirSync(NORMAL).sort().slice(0, 2)) copyFileSync(join(NORMAL, f), join(src, f));
  expect(runCli(['import', src], { home, timeoutMs: 60_000 }).status).toBe(0);
  expect(runCli(['segment', '--scan', '1'], { home, timeoutMs: 120_000 }).status).toBe(0);
}, 300_000);

afterAll(() => {
  if (!have) return;
  for (const d of [home, src, out]) rmSync(d, { recursive: true, force: true });
});

const cli = (args: string[]) => runCli(args, { home, timeoutMs: 120_000 });

describe.skipIf(!have)('exit statuses', () => {
  it('--help prints the table, one line per status', () => {
    const help = runCli(['--help']);
    expect(help.status).toBe(EXIT.ok);
    for (const code of Object.values(EXIT)) expect(help.stdout).toMatch(new RegExp(`^  ${code}  \\S`, 'm'));
    expect(help.stdout).toContain('4  catalog busy');
  });

  it('0: done', () => {
    expect(cli(['list']).status).toBe(EXIT.ok);
  });

  it('1: some items failed, the others were done', () => {
    const empty = join(src, 'empty.jpeg');
    writeFileSync(empty, '');
    const r = cli(['segment', join(src, readdirSync(src).find((f) => f.startsWith('NORMAL'))!), empty, '--out', out]);
    rmSync(empty);
    expect(r.status).toBe(EXIT.partialFailure);
    expect(r.stderr).toContain('1/2 segmented');
  });

  it('2: usage (unknown option, missing option, bad value)', () => {
    expect(cli(['list', '--bogus']).status).toBe(EXIT.usage);
    expect(cli(['show']).status).toBe(EXIT.usage);
    expect(cli(['list', '--eye', 'sideways']).status).toBe(EXIT.usage);
    expect(cli(['nonsense']).status).toBe(EXIT.usage);
  });

  it('3: not found (a scan id, an empty selection, a model)', () => {
    expectClearError(cli(['show', '--scan', '999']), 'No scan with id 999');
    expect(cli(['show', '--scan', '999']).status).toBe(EXIT.notFound);
    expect(cli(['segment', '--scan', '999']).status).toBe(EXIT.notFound);
    expect(cli(['report', '--scan', '2', '--pdf', join(out, 'r.pdf')]).status).toBe(EXIT.notFound); // not segmented
    expect(cli(['list', '--tag', 'NOPE']).status).toBe(EXIT.notFound);
    expect(cli(['models', 'default', 'no-such-model']).status).toBe(EXIT.notFound);
  });

  it('4: catalog busy while another process holds it (as the app does), for write commands only', async () => {
    const s = createServices({ home, host: 'node' });
    try {
      const r = cli(['import', src]);
      expect(r.status).toBe(EXIT.catalogBusy);
      expectClearError(r, 'is open in another Stratum process', 'close the desktop app or stop `stratum serve`');
      expect(cli(['list']).status).toBe(EXIT.ok);
    } finally {
      await s.close();
    }
  });

  it('5: needs confirmation (re-segmenting a signed-off scan without --force), and nothing is done', async () => {
    const s = createServices({ home, host: 'node' });
    const seg = s.segmentations.currentSegmentation(1)!;
    s.segmentations.signOff(seg.id, 'dr.exit');
    const before = s.segmentations.forScan(1).length;
    await s.close();
    const r = cli(['segment', '--scan', '1']);
    expect(r.status).toBe(EXIT.needsConfirmation);
    expect(r.stderr).toContain('pass --force');
    const after = createServices({ home, host: 'node' });
    expect(after.segmentations.forScan(1).length).toBe(before);
    await after.close();
  });

  it('the README documents the same table', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const code of Object.values(EXIT)) expect(readme).toMatch(new RegExp(`^\\| ${code} \\|`, 'm'));
  });
});
