// `npm run bench catalog`: fills a temporary catalog with 100,000 scans and times filtered page queries
// (the catalog's target: a filtered page in under 50 ms). Prints the median of repeated runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openCatalogDb } from '../../src-main/services/catalog/database';
import { ScansRepo } from '../../src-main/services/catalog/scans';
import type { ScanFilter } from '../../src-shared/domain/catalog';

const SCANS = 100_000;
const PATIENTS = 5_000;
const REPEATS = 21;
const TAGS = ['NORMAL', 'AMD', 'CSR', 'DR', 'MH'];
const EYES = ['OD', 'OS', 'unknown'];
const REVIEW = [null, 'not-reviewed', 'needs-review', 'signed-off', 'corrected'];

const dir = process.env.BENCH_DIR ?? mkdtempSync(join(tmpdir(), 'stratum-bench-'));
try {
  const db = openCatalogDb(join(dir, 'catalog.sqlite'));
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

  const t0 = performance.now();
  db.transaction(() => {
    const patient = db.prepare('INSERT INTO patients (external_id, name, created_at) VALUES (?, ?, ?)');
    for (let p = 1; p <= PATIENTS; p++) patient.run(`P${String(p).padStart(5, '0')}`, `Patient ${p}`, '2026-01-01T00:00:00Z');
    const scan = db.prepare(
      `INSERT INTO scans (patient_id, eye, acquired_at, device, tags, width, height, axial_um, lateral_um, scale_provenance,
        original_path, sha256, stored_file, mime, bytes, imported_at, review_status, flagged, deleted_at)
       VALUES (?, ?, ?, 'Zeiss Cirrus HD-OCT', ?, 750, 500, 1.95, 8, 'device-profile', ?, ?, ?, 'image/jpeg', 50000, ?, ?, ?, ?)`,
    );
    const tag = db.prepare('INSERT INTO scan_tags (scan_id, tag) VALUES (?, ?)');
    const fts = db.prepare('INSERT INTO scans_fts (rowid, text) VALUES (?, ?)');
    for (let i = 1; i <= SCANS; i++) {
      const t = pick(TAGS);
      const sha = i.toString(16).padStart(64, '0');
      const acquired = new Date(Date.UTC(2015, 0, 1) + Math.floor(rand() * 10 * 365) * 86_400_000).toISOString().slice(0, 10);
      const imported = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
      scan.run(1 + Math.floor(rand() * PATIENTS), pick(EYES), acquired, t, `/clinic/export/${t}/${t}${i}.jpeg`, sha, `${sha.slice(0, 2)}/${sha}.jpeg`,
        imported, pick(REVIEW), rand() < 0.03 ? 1 : 0, rand() < 0.01 ? imported : null);
      tag.run(i, t);
      fts.run(i, `/clinic/export/${t}/${t}${i}.jpeg | ${t} | Zeiss Cirrus HD-OCT`);
    }
  })();
  db.pragma('optimize=0x10002'); // what the app runs after a bulk import
  console.log(`filled ${SCANS} scans, ${PATIENTS} patients in ${Math.round(performance.now() - t0)} ms`);

  const scans = new ScansRepo(db);
  const cases: [string, ScanFilter][] = [
    ['first page, no filter', { limit: 50 }],
    ['eye = OS', { eye: 'OS', limit: 50 }],
    ['tag = AMD', { tag: 'AMD', limit: 50 }],
    ['patient = P02500', { patient: 'P02500', limit: 50 }],
    ['acquired in 2019', { dateFrom: '2019-01-01', dateTo: '2019-12-31', limit: 50 }],
    ['review = signed-off', { reviewState: 'signed-off', limit: 50 }],
    ['flagged', { flagged: true, limit: 50 }],
    ['tag AMD + eye OD + 2019..2021', { tag: 'AMD', eye: 'OD', dateFrom: '2019-01-01', dateTo: '2021-12-31', limit: 50 }],
    ['free text "CSR123"', { text: 'CSR123', limit: 50 }],
    ['eye OS, page 100 (offset 4950)', { eye: 'OS', limit: 50, offset: 4950 }],
    ['sort by acquisition date', { tag: 'DR', sort: 'acquiredAt', limit: 50 }],
  ];
  let worst = 0;
  for (const [name, filter] of cases) {
    const times: number[] = [];
    let total = 0;
    for (let r = 0; r < REPEATS; r++) {
      const start = performance.now();
      total = scans.list(filter).total;
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)] as number;
    worst = Math.max(worst, median);
    console.log(`${name.padEnd(34)} ${median.toFixed(2).padStart(7)} ms median  (page + total=${total})`);
  }
  console.log(`slowest filtered page: ${worst.toFixed(2)} ms (target < 50 ms) ${worst < 50 ? 'OK' : 'TOO SLOW'}`);
  db.close();
} finally {
  if (!process.env.BENCH_DIR) rmSync(dir, { recursive: true, force: true });
}
