import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalogDb } from '../../src-main/services/catalog/database';
import { createServices } from '../../src-main/services/container';
import { buildMain } from '../../test-support/main-build';

/**
 * Issue 13 item 12: an import killed with SIGKILL leaves its import_runs row at 'running'. The next
 * process to own the catalog marks it 'interrupted'; nobody without the lock may, because a 'running' row
 * may belong to a live import.
 */
const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'stratum.cjs');
const NORMAL = join(ROOT, '..', 'shared', 'data', 'octid-unannotated', 'NORMAL');

let work: string;
let src: string;

function runs(home: string): { state: string; finished_at: string | null }[] {
  const db = new Database(join(home, 'catalog.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT state, finished_at FROM import_runs ORDER BY id').all() as { state: string; finished_at: string | null }[];
  } finally {
    db.close();
  }
}

function storedFiles(home: string): number {
  const dir = join(home, 'library');
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && !e.name.endsWith('.tmp')).length;
}

beforeAll(() => {
  buildMain();
  work = mkdtempSync(join(tmpdir(), 'stratum-leftovers-import-'));
  src = mkdtempSync(join(work, 'src-'));
  for (const n of readdirSync(NORMAL).sort().slice(0, 10)) copyFileSync(join(NORMAL, n), join(src, n));
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('import killed with SIGKILL', () => {
  it("leaves a 'running' row that the next catalog owner, and only it, marks 'interrupted'", async () => {
    const home = mkdtempSync(join(work, 'home-'));
    const child = spawn(process.execPath, [CLI, '--home', home, 'import', src, '--json'], {
      env: { ...process.env, STRATUM_E2E_SLOW_JOBS_MS: '300' },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const deadline = Date.now() + 60_000;
    while (storedFiles(home) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(storedFiles(home)).toBeGreaterThanOrEqual(2);

    // while the import lives: no lock for us, and opening the file directly must not touch its run
    expect(() => createServices({ home, host: 'node' })).toThrow(/open in another Stratum process/);
    openCatalogDb(join(home, 'catalog.sqlite')).close();
    expect(runs(home)).toEqual([{ state: 'running', finished_at: null }]);

    child.kill('SIGKILL');
    await exited;
    expect(runs(home)).toEqual([{ state: 'running', finished_at: null }]); // what the crash left

    const s = createServices({ home, host: 'node' });
    await s.close();
    expect(runs(home)).toEqual([{ state: 'interrupted', finished_at: null }]);

    // a re-run finishes normally and leaves the interrupted run as it was
    const again = spawnSync(process.execPath, [CLI, '--home', home, 'import', src, '--json'], { encoding: 'utf8' });
    expect(again.status, again.stderr).toBe(0);
    expect(runs(home).map((r) => r.state)).toEqual(['interrupted', 'done']);
  }, 120_000);
});
