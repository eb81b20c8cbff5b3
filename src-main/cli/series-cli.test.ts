import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { haveSharedData, sharedData } from '../../test-support/shared-data';
import { buildMain } from '../../test-support/main-build';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'stratum.cjs');
const run = haveSharedData('formats') ? describe : describe.skip;

let home: string;
function stratum(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, '--home', home, ...args], { encoding: 'utf8', timeout: 240_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
function json(...args: string[]) {
  const r = stratum(...args, '--json');
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

beforeAll(() => {
  buildMain();
}, 120_000);
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'stratum-series-cli-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

run('stratum show and segment on series (issue 16)', () => {
  it('show --scan ID --json prints kind, geometry, scale and eye with their sources, localizer and the device segmentation with its difference', () => {
    const imported = json('import', sharedData('formats', 'spectralis-vol', 'Willis_B_716_0.vol'));
    const scanId = imported.scanIds[0];
    expect(imported.files[0]).toMatchObject({ format: 'Heidelberg VOL', kind: 'line', bscanCount: 1 });
    const segmented = json('segment', '--scan', String(scanId));
    expect(segmented.stored).toHaveLength(1);

    const { series } = json('show', '--scan', String(scanId));
    expect(series).toMatchObject({
      kind: 'line',
      bscanCount: 1,
      format: 'heidelberg-vol',
      bscanSize: { width: 768, height: 496 },
      scale: { axialUmPerPx: 3.8717, lateralUmPerPx: 11.8206, provenance: 'file', source: 'axial from VOL header scale_y; lateral from VOL header scale_x' },
      eye: { value: 'OD', source: 'file', confidence: 1 },
      localizer: { width: 768, height: 768, stored: true },
    });
    expect(series.bscans[0].geometry).toMatchObject({ type: 'line', start: { x: 0, y: expect.closeTo(4.539, 3) } });
    expect(series.segmentations).toEqual([
      { kind: 'device', name: 'Heidelberg Engineering Spectralis (file)', source: 'Heidelberg VOL segmentation lines', boundaryNames: ['ILM', 'BM'], bscans: 1 },
      { kind: 'model', name: expect.stringMatching(/^model /), bscans: 1 },
    ]);
    expect(series.deviceDifference.map((d: { name: string }) => d.name)).toEqual(['ILM', 'BM']);
    for (const d of series.deviceDifference) expect(d.meanAbsUm).toBeLessThan(25);
    // and the text form says the same in lines
    const text = stratum('show', '--scan', String(scanId)).stdout;
    expect(text).toMatch(/series +line scan \(Heidelberg VOL HSF-OCT-103\)/);
    expect(text).toMatch(/vs device ILM: [\d.]+ um mean \|device - Stratum\|/);
  });

  it('segment --scan ID segments every B-scan of a volume, and a second run has nothing left to do', () => {
    const imported = json('import', sharedData('formats', 'eyepy', 'tests', 'data', 'filetypes', 'heyex_vol', 'test_volume.vol'));
    const scanId = imported.scanIds[0];
    const first = json('segment', '--scan', String(scanId));
    expect(first.series).toEqual([expect.objectContaining({ scanId, bscans: { total: 10, segmented: 10, skipped: 0 } })]);
    const again = json('segment', '--scan', String(scanId));
    expect(again.series[0].bscans).toEqual({ total: 10, segmented: 0, skipped: 10 });
    const { series } = json('show', '--scan', String(scanId));
    expect(series).toMatchObject({ kind: 'volume', bscanCount: 10 });
    expect(series.segmentations).toEqual([{ kind: 'model', name: expect.stringMatching(/^model /), bscans: 10 }]);
  });
});
