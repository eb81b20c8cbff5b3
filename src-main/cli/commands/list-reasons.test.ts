import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanPage } from '../../../src-shared/domain/catalog';
import { haveSharedData, sharedData } from '../../../test-support/shared-data';
import { buildMain, runCli } from '../../../test/hostile/cli-run';

const have = haveSharedData('octdl-diseased') && haveSharedData('octid-unannotated');
let home = '';
let src = '';

beforeAll(() => {
  if (!have) return;
  buildMain();
  home = mkdtempSync(join(tmpdir(), 'stratum-list-reasons-home-'));
  src = mkdtempSync(join(tmpdir(), 'stratum-list-reasons-src-'));
  copyFileSync(sharedData('octdl-diseased', 'macular_hole', 'vid_1258159_1.png'), join(src, 'vid_1258159_1.png'));
  copyFileSync(sharedData('octid-unannotated', 'NORMAL', 'NORMAL31.jpeg'), join(src, 'NORMAL31.jpeg'));
  const imported = runCli(['import', src, '--segment'], { home, timeoutMs: 120_000 });
  expect(imported.status, imported.stderr).toBe(0);
}, 180_000);

afterAll(() => {
  if (!have) return;
  rmSync(home, { recursive: true, force: true });
  rmSync(src, { recursive: true, force: true });
});

describe.skipIf(!have)('stratum list: why a scan is flagged', () => {
  it('prints the reasons of each flagged scan under the table, and carries them in the JSON', () => {
    const page = JSON.parse(runCli(['list', '--json'], { home }).stdout) as ScanPage;
    const diseased = page.items.find((s) => s.originalPath.endsWith('vid_1258159_1.png'))!;
    const normal = page.items.find((s) => s.originalPath.endsWith('NORMAL31.jpeg'))!;
    expect(diseased.flagged).toBe(true);
    expect(diseased.reviewState).toBe('needs-review');
    expect(diseased.flagReasons.some((r) => r.includes('of the retina is left unlabelled'))).toBe(true);
    expect(normal.flagged).toBe(false);
    expect(normal.flagReasons).toEqual([]);
    const text = runCli(['list'], { home }).stdout;
    expect(text).toContain(`scan ${diseased.id} flagged: ${diseased.flagReasons.join('; ')}`);
    expect(text).not.toContain(`scan ${normal.id} flagged`);
    const flagged = JSON.parse(runCli(['list', '--flagged', '--json'], { home }).stdout) as ScanPage;
    expect(flagged.items.map((s) => s.id)).toEqual([diseased.id]);
  });
});
