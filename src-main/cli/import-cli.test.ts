import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildMain } from '../../test-support/main-build';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'stratum.cjs');
const NORMAL = join(ROOT, '..', 'shared', 'data', 'octid-unannotated', 'NORMAL');

function stratum(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function libraryFiles(home: string): string[] {
  const dir = join(home, 'library');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && !e.name.endsWith('.tmp')).map((e) => e.name);
}

function catalogRows(home: string): { sha256: string; n: number }[] {
  const db = new Database(join(home, 'catalog.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT sha256, COUNT(*) AS n FROM scans GROUP BY sha256').all() as { sha256: string; n: number }[];
  } finally {
    db.close();
  }
}

beforeAll(() => {
  buildMain();
}, 120_000);

let home: string;
let src: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'stratum-cli-home-'));
  src = mkdtempSync(join(tmpdir(), 'stratum-cli-src-'));
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(src, { recursive: true, force: true });
});

describe('stratum import / list', () => {
  it('imports good files, reports bad ones as JSON and exits 1; lists; usage errors exit 2', () => {
    const names = readdirSync(NORMAL).sort().slice(0, 4);
    for (const n of names) copyFileSync(join(NORMAL, n), join(src, n));
    writeFileSync(join(src, 'empty.jpeg'), '');
    writeFileSync(join(src, 'cut.jpeg'), readFileSync(join(NORMAL, names[0]!)).subarray(0, 2000));
    writeFileSync(join(src, 'x.png'), 'plain text');

    const dry = stratum(['--home', home, 'import', src, '--dry-run', '--json']);
    expect(dry.status).toBe(1);
    expect(JSON.parse(dry.stdout)).toMatchObject({ found: 7, wouldImport: 4, imported: 0 });

    const r = stratum(['--home', home, 'import', src, '--json']);
    expect(r.status, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout) as { found: number; imported: number; duplicates: number; failed: { path: string; code: string; message: string }[] };
    expect(out).toMatchObject({ found: 7, imported: 4, duplicates: 0 });
    expect(out.failed.map((f) => f.code).sort()).toEqual(['EMPTY_FILE', 'TRUNCATED', 'UNREADABLE_IMAGE']);

    const again = stratum(['--home', home, 'import', join(src, names[0]!).replace(/[^/]+$/, ''), '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ imported: 0, duplicates: 4 });

    const list = stratum(['--home', home, 'list', '--json', '--limit', '2']);
    expect(list.status).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject({ total: 4, limit: 2 });
    expect(JSON.parse(list.stdout).items).toHaveLength(2);

    expect(stratum(['--home', home, 'import', join(src, 'nope')]).status).toBe(2);
    expect(stratum(['--home', home, 'import']).status).toBe(2);
    expect(stratum(['--home', home, 'list', '--eye', 'sideways']).status).toBe(2);
  });

  it('resumes after being killed mid-import: every scan exactly once, one library file per scan', async () => {
    const names = readdirSync(NORMAL).sort().slice(0, 12);
    for (const n of names) copyFileSync(join(NORMAL, n), join(src, n));

    const child = spawn(process.execPath, [CLI, '--home', home, 'import', src, '--json'], {
      env: { ...process.env, STRATUM_E2E_SLOW_JOBS_MS: '200' },
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const deadline = Date.now() + 60_000;
    while (libraryFiles(home).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    await exited;
    const before = catalogRows(home).length;
    expect(before).toBeGreaterThanOrEqual(2);
    expect(before).toBeLessThan(12);
    expect(existsSync(join(home, 'catalog.lock'))).toBe(true); // left behind by the killed process: stale

    const r = stratum(['--home', home, 'import', src, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { imported: number; duplicates: number };
    expect(out.imported + out.duplicates).toBe(12);
    expect(out.duplicates).toBe(before);

    const rows = catalogRows(home);
    expect(rows).toHaveLength(12);
    expect(rows.every((row) => row.n === 1)).toBe(true);
    const files = libraryFiles(home);
    expect(files).toHaveLength(12);
    expect(new Set(files.map((f) => f.split('.')[0]))).toEqual(new Set(rows.map((row) => row.sha256)));
  });
});
