import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanFilter, ScanPage } from '../../src-shared/domain/catalog';
import { haveSharedData } from '../../test-support/shared-data';
import { makeCliCatalog, type CliCatalog } from '../../test/hostile/cli-catalog';
import { buildMain, runCli } from '../../test/hostile/cli-run';
import { createDispatcher } from '../ipc/dispatcher';
import { createHandlers } from '../ipc/handlers';
import { createServices, type Services } from '../services/container';

/**
 * The CLI selects scans with the app's filter: the same flags on list, export-csv, segment and report,
 * parsed into the filter the catalog screen sends (catalog.listScans), over a real imported catalog.
 */
const have = haveSharedData('octid-unannotated', 'NORMAL');
let cat: CliCatalog;
let out: string;

beforeAll(() => {
  if (!have) return;
  buildMain();
  cat = makeCliCatalog('cli-selection');
  out = mkdtempSync(join(tmpdir(), 'stratum-cli-selection-out-'));
}, 400_000);

afterAll(() => {
  if (!have) return;
  rmSync(cat.home, { recursive: true, force: true });
  rmSync(cat.src, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

const cli = (args: string[], timeoutMs = 60_000) => runCli(args, { home: cat.home, timeoutMs });
const listIds = (args: string[]) => {
  const r = cli(['list', '--json', ...args]);
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as ScanPage).items.map((s) => s.id);
};

describe.skipIf(!have)('stratum list', () => {
  it("prints a header row with review and flag columns, in the app's order (by id)", () => {
    const r = cli(['list']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+PATIENT\s+EYE\s+ACQUIRED\s+TAGS\s+SIZE\s+SCALE\s+REVIEW\s+FLAG\s+FILE$/);
    const rows = lines.slice(1).filter((l) => /^\d+\s{2}/.test(l));
    expect(rows.map((l) => Number(l.split(/\s+/)[0])), r.stdout).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(rows[1]).toMatch(/P-A\s+OS\s+2024-01-10\s+NORMAL\s+.*Not segmented\s+-\s+\S*NORMAL\d+\.jpeg$/);
    expect(rows[0]).toMatch(/Not reviewed\s+-\s/);
    expect(rows[6]).toMatch(/Needs review\s+flagged \(\d+ reasons?, below\)\s+\S*garbled\.jpeg$/);
    expect(r.stdout).toMatch(/^scan 7 flagged: .+/m);
    expect(lines.at(-1)).toBe('1-7 of 7 scans');
    expect(cli(['list', '--sort', 'patient', '--json']).status).toBe(0);
  });
});

describe.skipIf(!have)('selection flags', () => {
  let s: Services;
  beforeAll(() => {
    s = createServices({ home: cat.home, host: 'node' }); // holds the catalog: the CLI reads beside it
  });
  afterAll(async () => {
    await s.close();
  });

  /** The ids the app's catalog screen gets for the same filter (through the contract, as the renderer asks). */
  const appIds = async (filter: ScanFilter) => {
    const r = await createDispatcher(createHandlers(s))('catalog.listScans', { ...filter, sort: 'id', order: 'asc', limit: 500 });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    return (r.value as ScanPage).items.map((x) => x.id);
  };

  const cases: [string[], ScanFilter, number[]][] = [
    [['--tag', 'FOLLOWUP'], { tag: 'FOLLOWUP' }, [3, 5]],
    [['--eye', 'OS'], { eye: 'OS' }, [2, 4, 6]],
    [['--patient', 'P-B'], { patient: 'P-B' }, [3, 4]],
    [['--from', '2024-06-01', '--to', '2025-02-20'], { dateFrom: '2024-06-01', dateTo: '2025-02-20' }, [3, 4, 5, 6]],
    [['--unsegmented'], { reviewState: 'not-segmented' }, [2, 4, 6]],
    [['--flagged'], { flagged: true }, [7]],
    [['--review', 'needs-review'], { reviewState: 'needs-review' }, [7]],
    [['--review', 'Not reviewed'], { reviewState: 'not-reviewed' }, [1, 3, 5]],
    [['--tag', 'NORMAL', '--eye', 'OD', '--from', '2024-06-01'], { tag: 'NORMAL', eye: 'OD', dateFrom: '2024-06-01' }, [3, 5]],
    [['--all'], {}, [1, 2, 3, 4, 5, 6, 7]],
  ];
  it.each(cases)('list %j selects what the app selects with the same filter', async (flags, filter, expected) => {
    expect(listIds(flags)).toEqual(expected);
    expect(await appIds(filter)).toEqual(expected);
  });

  it('export-csv exports the selection; text unless --json, whatever stdout is', () => {
    const file = join(out, 'follow.csv');
    const text = cli(['export-csv', '--tag', 'FOLLOWUP', '--out', file]);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toBe(`90 rows from 2 scans -> ${file}\n`); // stdout is a pipe here: still text
    const ids = new Set(readFileSync(file, 'utf8').trimEnd().split('\n').slice(1).map((l) => l.split(',')[0]));
    expect([...ids].sort()).toEqual(['3', '5']);
    const json = cli(['export-csv', '--tag', 'FOLLOWUP', '--out', file, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ rows: 90, scans: 2, skipped: [] });
    // scans without a segmentation are named and make the exit status 1; the others are exported
    const some = cli(['export-csv', '--eye', 'OS', '--out', join(out, 'os.csv')]);
    expect(some.status).toBe(1);
    expect(some.stderr).toContain('skipped 3 scans without a segmentation: 2, 4, 6');
  });

  it('report writes one combined PDF, one PDF per scan and the rows of a selection', () => {
    const pdf = join(out, 'follow.pdf');
    const rows = join(out, 'follow.json');
    const r = cli(['report', '--tag', 'FOLLOWUP', '--pdf', pdf, '--out', join(out, 'per-scan'), '--json', rows], 120_000);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('2 reports of 2 scans written');
    expect(existsSync(join(out, 'per-scan', 'scan-3.pdf')) && existsSync(join(out, 'per-scan', 'scan-5.pdf'))).toBe(true);
    expect(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })).toMatch(/Pages:\s+2\n/);
    expect(new Set((JSON.parse(readFileSync(rows, 'utf8')) as { scan_id: string }[]).map((x) => x.scan_id))).toEqual(new Set(['3', '5']));
    // unsegmented scans in the selection: named, exit 1, the rest reported
    const mixed = cli(['report', '--patient', 'P-A', '--pdf', join(out, 'pa.pdf')], 120_000);
    expect(mixed.status).toBe(1);
    expect(mixed.stderr).toMatch(/scan 2: Scan 2 has no segmentation yet/);
    expect(mixed.stderr).toContain('1 report of 2 scans written; 1 could not be reported');
    expect(execFileSync('pdfinfo', [join(out, 'pa.pdf')], { encoding: 'utf8' })).toMatch(/Pages:\s+1\n/);
  });

  it('an empty selection says so and exits 3, writing nothing', () => {
    const list = cli(['list', '--tag', 'NOPE']);
    expect(list.status).toBe(3);
    expect(list.stderr).toContain('no scans match --tag NOPE');
    const patient = cli(['report', '--patient', 'P-SECRET-9', '--pdf', join(out, 'nobody.pdf')]);
    expect(patient.status).toBe(3);
    expect(patient.stderr).toContain('No scans match the selection (--patient <id>)'); // no patient id in messages
    expect(patient.stderr).not.toContain('P-SECRET-9');
    const csv = join(out, 'none.csv');
    const exp = cli(['export-csv', '--tag', 'NOPE', '--out', csv]);
    expect(exp.status).toBe(3);
    expect(exp.stderr).toContain('No scans match the selection (--tag NOPE)');
    expect(existsSync(csv)).toBe(false);
    expect(cli(['report', '--review', 'signed-off', '--pdf', join(out, 'none.pdf')]).status).toBe(3);
    expect(existsSync(join(out, 'none.pdf'))).toBe(false);
  });

  it('usage errors exit 2: nothing selected, --all with a filter, an unknown review state', () => {
    expect(cli(['report', '--pdf', join(out, 'x.pdf')]).status).toBe(2);
    const both = cli(['list', '--all', '--tag', 'NORMAL']);
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('--all selects every scan');
    const auto = cli(['list', '--review', 'auto']);
    expect(auto.status).toBe(2);
    expect(auto.stderr).toContain("'auto' is now two states");
  });
});

describe.skipIf(!have)('stratum segment with a selection', () => {
  it('segments the selected unsegmented scans and only those, with progress on stderr', () => {
    const r = cli(['segment', '--unsegmented', '--patient', 'P-A'], 300_000);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^scan 2: segmentation \d+ added/m);
    expect(r.stdout).not.toMatch(/^scan [13-7]:/m);
    expect(r.stderr).toContain('Segmenting');
    expect(r.stderr).toContain('1 scan of 1 segmented');
    expect(listIds(['--unsegmented'])).toEqual([4, 6]);
    expect(cli(['segment', '--tag', 'NOPE']).status).toBe(3);
    expect(cli(['segment']).status).toBe(2);
  });
});
