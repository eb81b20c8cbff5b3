import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src-main/cli/exit-codes';
import { buildMain } from '../../test-support/main-build';

/**
 * Issue 13 item 3, end to end: two real `stratum import` processes over the same folder into the same
 * data folder, started together. One imports, the other is refused with CONFLICT and exit status 4 (catalog
 * busy) or, if it came second, finds only duplicates; never both, never `UNIQUE constraint failed`, every scan
 * exactly once.
 */
const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'stratum.cjs');
const NORMAL = join(ROOT, '..', 'shared', 'data', 'octid-unannotated', 'NORMAL');
const ROUNDS = 8;
const IMAGES = 5;

let src: string;
let work: string;

function importer(home: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, '--home', home, 'import', src, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

function scanCounts(home: string): number[] {
  const db = new Database(join(home, 'catalog.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM scans GROUP BY sha256').all() as { n: number }[]).map((r) => r.n);
  } finally {
    db.close();
  }
}

beforeAll(() => {
  buildMain();
  work = mkdtempSync(join(tmpdir(), 'stratum-import-race-'));
  src = mkdtempSync(join(work, 'src-'));
  for (const n of readdirSync(NORMAL).sort().slice(0, IMAGES)) copyFileSync(join(NORMAL, n), join(src, n));
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('two imports of one folder at once', () => {
  it(`ends with each scan exactly once in ${ROUNDS} races`, async () => {
    const outcomes = { imported: 0, refused: 0, duplicatesOnly: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const home = mkdtempSync(join(work, `home-${round}-`));
      const runs = await Promise.all([importer(home), importer(home)]);
      for (const r of runs) {
        expect(r.stderr).not.toMatch(/UNIQUE|INTERNAL/);
        if (r.status === 0) {
          const out = JSON.parse(r.stdout) as { imported: number; duplicates: number };
          expect(out.imported + out.duplicates).toBe(IMAGES);
          if (out.imported === IMAGES) outcomes.imported++;
          else if (out.duplicates === IMAGES) outcomes.duplicatesOnly++;
          else expect.unreachable(`round ${round}: a split import ${r.stdout}`);
        } else {
          // A refused import is "catalog busy" (EXIT.catalogBusy), not "some items failed".
          expect(r.status, r.stderr).toBe(EXIT.catalogBusy);
          expect(r.stderr).toMatch(/is open in another Stratum process.*\[CONFLICT\]/);
          outcomes.refused++;
        }
      }
      const counts = scanCounts(home);
      expect(counts).toHaveLength(IMAGES);
      expect(counts.every((n) => n === 1)).toBe(true);
    }
    expect(outcomes.imported).toBe(ROUNDS);
    expect(outcomes.refused + outcomes.duplicatesOnly).toBe(ROUNDS);
  }, 120_000);
});
