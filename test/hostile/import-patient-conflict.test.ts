import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resultOf } from '../../src-shared/contract/channels/jobs';
import type { ImportResult, PatientConflictPolicy } from '../../src-shared/domain/catalog';
import { createDispatcher } from '../../src-main/ipc/dispatcher';
import { createHandlers } from '../../src-main/ipc/handlers';
import { createServices, type Services } from '../../src-main/services/container';
import { expectErr, expectOk } from '../../test-support/expect-ok';
import { REPO_ROOT, haveSharedData, sharedData } from '../../test-support/shared-data';
import { buildMain } from '../../test-support/main-build';

/**
 * Issue 13 item 9: a manifest row `P1, Other Name, 1999-09-09` when the catalog's P1 is "Doe", born
 * 1950, is never attached or merged silently. Real manifests, real images, the real catalog.
 */
const NORMAL = sharedData('octid-unannotated', 'NORMAL');
const PATIENT_DATA = ['Doe', 'Other Name', '1950-03-04', '1999-09-09', 'P1', 'P2', 'Someone'];

let home: string;
let work: string;
let s: Services;

const FIRST = ['file,patient_id,name,birth_date', 'NORMAL26.jpeg,P1,Doe,1950-03-04'];
const SECOND = [
  'file,patient_id,name,birth_date',
  'NORMAL27.jpeg,P1,Other Name,1999-09-09', // line 2: conflicts on name and birth_date
  'NORMAL28.jpeg,P1,  doe ,1950-03-04', // line 3: the same person, spelled with other case and spacing
  'NORMAL29.jpeg,P2,Someone,', // line 4: a new patient
  'NORMAL30.jpeg,P2,Someone Else,', // line 5: conflicts with line 4 (same batch) on name only
];

function manifest(name: string, lines: string[]): string {
  const path = join(work, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

async function runImport(path: string, onPatientConflict?: PatientConflictPolicy): Promise<ImportResult> {
  const id = s.jobs.start('import', 'Import', (ctx) => s.importer.run(path, { onPatientConflict }, ctx));
  return resultOf(await s.jobs.wait(id), 'import');
}

function patient(externalId: string) {
  return s.patients.list().find((p) => p.externalId === externalId);
}

function expectNoPatientData(text: string): void {
  for (const v of PATIENT_DATA) expect(text).not.toContain(v);
}

beforeAll(() => {
  expect(haveSharedData('octid-unannotated')).toBe(true);
});

beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'stratum-conflict-home-'));
  work = mkdtempSync(join(tmpdir(), 'stratum-conflict-src-'));
  for (const n of [26, 27, 28, 29, 30]) copyFileSync(join(NORMAL, `NORMAL${n}.jpeg`), join(work, `NORMAL${n}.jpeg`));
  s = createServices({ home, host: 'node' });
  expect((await runImport(manifest('first.csv', FIRST))).imported).toBe(1);
});

afterEach(async () => {
  await s.close();
  rmSync(home, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe('a manifest row whose patient details conflict with the catalog', () => {
  it('is reported per row by the dry run (line and fields, no names) and would not be imported', async () => {
    const dry = await s.importer.dryRun(manifest('second.csv', SECOND));
    const conflicts = dry.failed.filter((f) => f.code === 'PATIENT_CONFLICT');
    expect(conflicts.map((f) => [f.line, f.fields])).toEqual([
      [2, ['name', 'birth_date']],
      [5, ['name']],
    ]);
    expect(conflicts[0]!.message).toMatch(/^Line 2 of the manifest: name and birth_date differ .*not imported/);
    expectNoPatientData(JSON.stringify(dry.failed));
    expect(dry.wouldImport).toBe(2);
  });

  it('is refused by the real run by default: no scan, the catalog patient untouched, the rest imported', async () => {
    const result = await runImport(manifest('second.csv', SECOND));
    expect(result.imported).toBe(2);
    expect(result.failed.map((f) => [f.code, f.line])).toEqual([
      ['PATIENT_CONFLICT', 2],
      ['PATIENT_CONFLICT', 5],
    ]);
    expectNoPatientData(JSON.stringify(result.failed));
    expect(patient('P1')).toMatchObject({ name: 'Doe', birthDate: '1950-03-04', scanCount: 2 });
    expect(patient('P2')).toMatchObject({ name: 'Someone', scanCount: 1 });
    expect(s.scans.list({ text: 'NORMAL27' }).total).toBe(0);
  });

  it('with keep: attached, the catalog details kept, each conflict a notice', async () => {
    const result = await runImport(manifest('second.csv', SECOND), 'keep');
    expect(result.imported).toBe(4);
    expect(result.failed).toEqual([]);
    expect(result.notices.map((n) => [n.code, n.line, n.fields])).toEqual([
      ['PATIENT_CONFLICT_KEPT', 2, ['name', 'birth_date']],
      ['PATIENT_CONFLICT_KEPT', 5, ['name']],
    ]);
    expect(patient('P1')).toMatchObject({ name: 'Doe', birthDate: '1950-03-04', scanCount: 3 });
  });

  it("with update: attached, the patient's conflicting fields replaced and audited without the values", async () => {
    // without line 3, which (as a later row) would replace them again: with update, the last row wins
    const result = await runImport(manifest('second.csv', SECOND.filter((_, i) => i !== 2)), 'update');
    expect(result.imported).toBe(3);
    expect(result.notices.map((n) => [n.code, n.line])).toEqual([
      ['PATIENT_CONFLICT_UPDATED', 2],
      ['PATIENT_CONFLICT_UPDATED', 4],
    ]);
    expect(patient('P1')).toMatchObject({ name: 'Other Name', birthDate: '1999-09-09', scanCount: 2 });
    expect(patient('P2')).toMatchObject({ name: 'Someone Else' });
    const scanId = s.scans.list({ text: 'NORMAL27' }).items[0]!.id;
    const update = s.audit.forScan(scanId).find((e) => e.action === 'patient-update');
    expect(update?.details).toMatchObject({ fields: ['name', 'birth_date'], line: 2 });
    expectNoPatientData(JSON.stringify(update));
  });

  it('takes the choice over IPC (dry run and job) and refuses an unknown one', async () => {
    const dispatch = createDispatcher(createHandlers(s));
    const path = manifest('second.csv', SECOND);
    const dry = expectOk(await dispatch('import.dryRun', { path, onPatientConflict: 'keep' }), 'import.dryRun');
    expect([dry.wouldImport, dry.notices.length]).toEqual([4, 2]);
    expect(expectErr(await dispatch('import.dryRun', { path, onPatientConflict: 'merge' })).code).toBe('VALIDATION');
    const { jobId } = expectOk(await dispatch('import.start', { path }), 'import.start');
    expect(resultOf(await s.jobs.wait(jobId), 'import').failed.map((f) => f.code)).toEqual(['PATIENT_CONFLICT', 'PATIENT_CONFLICT']);
  });
});

describe('the CLI', () => {
  it('prints each conflict with its line and fields, never the names, and exits 1; a bad --on-patient-conflict is a usage error', async () => {
    await s.close();
    buildMain();
    const cli = (...args: string[]) => spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'stratum.cjs'), '--home', home, 'import', ...args], { encoding: 'utf8' });
    const path = manifest('second.csv', SECOND);
    for (const args of [['--dry-run', path], [path]]) {
      const r = cli(...args);
      expect(r.status).toBe(1);
      expect(r.stdout).toContain('FAILED PATIENT_CONFLICT');
      expect(r.stdout).toContain('Line 2 of the manifest: name and birth_date differ');
      expect(r.stdout).toContain('Line 5 of the manifest: name differs');
      const conflictLines = r.stdout.split('\n').filter((l) => l.includes('PATIENT_CONFLICT'));
      expect(conflictLines).toHaveLength(2);
      expectNoPatientData(conflictLines.map((l) => l.slice(l.indexOf(': ') + 2)).join('\n'));
    }
    const bad = cli('--on-patient-conflict', 'merge', path);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--on-patient-conflict must be refuse, keep, update');
    s = createServices({ home, host: 'node' }); // for afterEach
  }, 120_000);
});
