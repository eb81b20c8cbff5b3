/**
 * `stratum check` on a data folder whose library was damaged behind the catalog's back: one stored image
 * with a flipped byte, one deleted. It names each affected scan (id and stored file, never the patient),
 * counts both kinds and exits 1; before, it said "1 corrupt" and named no scan, and missed the deleted one.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataFolderCheck } from '../../src-shared/domain/app-info';
import type { ScanPage } from '../../src-shared/domain/catalog';
import { haveSharedData, sharedData } from '../../test-support/shared-data';
import { buildMain, runCli } from './cli-run';

const NORMAL = sharedData('octid-unannotated', 'NORMAL');
const have = haveSharedData('octid-unannotated', 'NORMAL');
let home: string;
let src: string;
let stored: string[];

beforeAll(() => {
  if (!have) return;
  buildMain();
  home = mkdtempSync(join(tmpdir(), 'stratum-cli-check-home-'));
  src = mkdtempSync(join(tmpdir(), 'stratum-cli-check-src-'));
  const files = readdirSync(NORMAL).sort().slice(0, 3);
  for (const f of files) copyFileSync(join(NORMAL, f), join(src, f));
  writeFileSync(join(src, 'manifest.csv'), `file,patient_id,name\n${files.map((f, i) => `${f},PX-SECRET-${i},Jane Secret${i}`).join('\n')}\n`);
  const imported = runCli(['import', join(src, 'manifest.csv')], { home, timeoutMs: 60_000 });
  expect(imported.status, imported.stderr).toBe(0);
  const page = JSON.parse(runCli(['list', '--json'], { home }).stdout) as ScanPage;
  stored = page.items.map((s) => s.storedFile);
}, 120_000);

afterAll(() => {
  if (!have) return;
  rmSync(home, { recursive: true, force: true });
  rmSync(src, { recursive: true, force: true });
});

describe.skipIf(!have)('stratum check', () => {
  it('reports an intact folder as such, exit 0', () => {
    const r = runCli(['check'], { home });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('3 library files: 0 corrupt, 0 missing');
  });

  it('names the scans whose stored image is corrupt or missing, without patient details, and exits 1', () => {
    const corrupt = join(home, 'library', stored[1]!);
    const bytes = readFileSync(corrupt);
    bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0x01;
    writeFileSync(corrupt, bytes);
    unlinkSync(join(home, 'library', stored[2]!));

    const r = runCli(['check'], { home });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('2 library files: 1 corrupt, 1 missing');
    expect(r.stdout).toContain(`CORRUPT ${stored[1]}: scan 2 (its content no longer matches its checksum)`);
    expect(r.stdout).toContain(`MISSING ${stored[2]}: scan 3 (the stored image is gone)`);
    expect(r.stdout).toContain('2 scans affected');
    expect(r.stdout + r.stderr).not.toMatch(/PX-SECRET|Jane Secret/);

    const json = runCli(['check', '--json'], { home });
    expect(json.status).toBe(1);
    const result = JSON.parse(json.stdout) as DataFolderCheck;
    expect(result).toMatchObject({ libraryFiles: 2, affectedScans: [2, 3], catalogIntegrity: 'ok' });
    expect(result.corruptFiles).toEqual([{ file: stored[1], scanIds: [2] }]);
    expect(result.missingFiles).toEqual([{ file: stored[2], scanIds: [3] }]);
  });
});
