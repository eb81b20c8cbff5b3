/**
 * While the app holds the catalog (`stratum serve` here: the Electron app takes the same lock), the
 * read-only commands work beside it on a read-only connection, and the write commands refuse with exit
 * status 4, saying why and what to do, and change nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveSharedData } from '../../test-support/shared-data';
import { makeCliCatalog, type CliCatalog } from './cli-catalog';
import { buildMain, CLI, expectClearError, ROOT, runCli } from './cli-run';

const have = haveSharedData('octid-unannotated', 'NORMAL');
let cat: CliCatalog;
let out: string;
let serve: ChildProcess | null = null;

function catalogCounts(home: string) {
  const db = new Database(join(home, 'catalog.sqlite'), { readonly: true });
  try {
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return { scans: n('SELECT COUNT(*) AS n FROM scans'), segmentations: n('SELECT COUNT(*) AS n FROM segmentations') };
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  if (!have) return;
  buildMain();
  cat = makeCliCatalog('cli-app-open');
  out = mkdtempSync(join(tmpdir(), 'stratum-cli-app-open-out-'));
  if (!existsSync(join(ROOT, 'dist', 'renderer', 'index.html'))) throw new Error('the renderer is not built: npm run build:renderer');
  serve = spawn(process.execPath, [CLI, '--home', cat.home, 'serve'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${text}`)), 30_000);
    serve!.stdout!.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('Open: http://127.0.0.1:')) {
        clearTimeout(timer);
        resolve();
      }
    });
    serve!.on('exit', (code) => reject(new Error(`serve exited ${code}: ${text}`)));
  });
}, 400_000);

afterAll(async () => {
  if (serve && serve.exitCode === null) {
    serve.kill('SIGTERM');
    await new Promise((r) => serve!.once('exit', r));
  }
  if (!have) return;
  rmSync(cat.home, { recursive: true, force: true });
  rmSync(cat.src, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

const cli = (args: string[]) => runCli(args, { home: cat.home, timeoutMs: 120_000 });

describe.skipIf(!have)('while `stratum serve` holds the catalog', () => {
  it('read-only commands work: list, show, info, check, export-csv, report to a file', () => {
    const before = catalogCounts(cat.home);
    const list = cli(['list', '--json']);
    expect(list.status, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject({ total: 7 });
    const show = cli(['show', '--scan', '3', '--json']);
    expect(show.status, show.stderr).toBe(0);
    expect(JSON.parse(show.stdout)).toMatchObject({ scan: { id: 3, eye: 'OD' }, reviewState: 'not-reviewed', segmentations: [{ current: true, role: 'model' }] });
    const info = cli(['info']);
    expect(info.status, info.stderr).toBe(0);
    expect(info.stdout).toMatch(/^provider\s+cpu/m);
    const check = cli(['check']);
    expect(check.status, check.stderr).toBe(0);
    expect(check.stdout).toContain('7 library files: 0 corrupt, 0 missing');

    const csv = join(out, 't.csv');
    const exp = cli(['export-csv', '--review', 'not-reviewed', '--out', csv]);
    expect(exp.status, exp.stderr).toBe(0);
    expect(exp.stdout).toBe(`135 rows from 3 scans -> ${csv}\n`);
    const one = cli(['report', '--scan', '1', '--pdf', join(out, 'one.pdf'), '--json', join(out, 'one.json')]);
    expect(one.status, one.stderr).toBe(0);
    const many = cli(['report', '--tag', 'FOLLOWUP', '--pdf', join(out, 'follow.pdf')]);
    expect(many.status, many.stderr).toBe(0);
    expect(existsSync(join(out, 'one.pdf')) && existsSync(join(out, 'follow.pdf'))).toBe(true);

    expect(catalogCounts(cat.home)).toEqual(before);
    // the export is still in the audit log: its one row goes through SQLite's own locking beside the app
    const db = new Database(join(cat.home, 'catalog.sqlite'), { readonly: true });
    const audit = db.prepare("SELECT details_json FROM audit_log WHERE action = 'export' ORDER BY id DESC LIMIT 1").get() as { details_json: string };
    db.close();
    expect(JSON.parse(audit.details_json)).toMatchObject({ kind: 'thickness-csv', path: csv, scans: 3 });
  });

  it('write commands refuse with exit 4, say why and what to do, and change nothing', () => {
    const before = catalogCounts(cat.home);
    for (const args of [['import', cat.src], ['segment', '--scan', '2'], ['segment', '--unsegmented']]) {
      const r = cli(args);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(4);
      expectClearError(r, 'is open in another Stratum process', 'close the desktop app or stop `stratum serve`', 'Read-only commands (list, show, info, check, export-csv, export-masks, report) work');
    }
    expect(catalogCounts(cat.home)).toEqual(before);
  });

  it('once the app is closed, the same write command works', async () => {
    serve!.kill('SIGTERM');
    await new Promise((r) => serve!.once('exit', r));
    const r = cli(['segment', '--scan', '2']);
    expect(r.status, r.stderr).toBe(0);
    expect(catalogCounts(cat.home).segmentations).toBe(5);
  });
});
