import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { haveSharedData, sharedData } from '../../../test-support/shared-data';
import { openTempCatalog, type TempCatalog } from '../../../test-support/temp-catalog';
import { registerGrid } from './grid';
import { registerMaps } from './maps';
import { registerReport } from './report';

const EYEPY = sharedData('formats', 'eyepy', 'tests', 'data', 'filetypes', 'heyex_xml', 'test_volume');
const XML = join(EYEPY, 'test_dummy.xml');

async function run(args: string[]): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    const program = new Command('stratum').exitOverride().option('--home <dir>');
    registerMaps(program);
    registerGrid(program);
    registerReport(program);
    await program.parseAsync(['node', 'stratum', ...args]);
    return { stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

afterEach(() => vi.restoreAllMocks());

describe.skipIf(!haveSharedData('formats', 'eyepy'))('stratum maps and grid on a vendor volume', () => {
  let out: string;
  let cat: TempCatalog;
  let volumeId: number;
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'stratum-maps-'));
    cat = openTempCatalog('enface-cli');
    // the XML export: a volume with the device's SegLines, segmented B-scan by B-scan by the shipped model
    // at import (and B11.tif, which no <Image> names, as a plain image)
    await cat.importFrom(EYEPY, { segment: true });
    volumeId = cat.services.db.prepare("SELECT id FROM scans WHERE kind = 'volume'").pluck().get() as number;
  });
  afterAll(async () => {
    rmSync(out, { recursive: true, force: true });
    await cat.close();
  });

  it('maps FILE --device-only writes <map>.json (grid in mm, row-major, null for no data) and <map>.png per map', async () => {
    const { stdout } = await run(['maps', XML, '--device-only', '--out', out]);
    expect(stdout).toContain('device total:');
    const files = readdirSync(out).sort();
    for (const m of ['total', 'NFL', 'GCL+IPL', 'RPE', 'rpe-elevation']) expect(files).toEqual(expect.arrayContaining([`device-${m}.json`, `device-${m}.png`]));
    const j = JSON.parse(readFileSync(join(out, 'device-total.json'), 'utf8')) as { layer: string; unit: string; originMm: number[]; spacingMm: number[]; rows: number; cols: number; values: (number | null)[] };
    expect(j).toMatchObject({ layer: 'total', unit: 'um', originMm: [1.513, 6.524] });
    expect(j.values).toHaveLength(j.rows * j.cols);
    // the strip's A-scans 0-1 and 40-49 have no ILM: null there, (30.2 - 9.6) px x 3.872 µm/px inside
    expect(j.values[0]).toBeNull();
    expect(j.values.filter((v) => v !== null).every((v) => Math.abs(v! - 79.76) < 0.02)).toBe(true);
    const meta = await sharp(join(out, 'device-total.png')).metadata();
    expect(meta.width).toBe(840);
  });

  it('grid --scan ID --json: the ETDRS table from the catalog, field names with their LOINC codes', async () => {
    const { stdout } = await run(['--home', cat.home, 'grid', '--scan', String(volumeId), '--json']);
    const j = JSON.parse(stdout) as {
      eye: { value: string };
      stratum: { segmentation: string; layers: { layer: string }[] } | null;
      segmentation: { stored: number; segmented: number; missing: number[] };
      device: { layers: { layer: string; centralPointCode: { code: string }; subfields: { subfield: string; meanThicknessUm: number | null; coveragePct: number; partial: boolean; code: { code: string } | null }[] }[] };
    };
    expect(j.eye.value).toBe('OD');
    // Stratum's maps from the segmentation stored for each B-scan: nothing segmented again, nothing missing
    expect(j.segmentation).toMatchObject({ stored: 10, segmented: 0, missing: [] });
    expect(j.stratum!.segmentation).toMatch(/^model stratum-unet-light /);
    const total = j.device.layers.find((l) => l.layer === 'total')!;
    expect(total.centralPointCode.code).toBe('57108-3');
    const c0 = total.subfields[0]!;
    expect(c0).toMatchObject({ subfield: 'C0', partial: true, code: { code: '57109-1' } });
    expect(c0.meanThicknessUm).toBeCloseTo(79.8, 1);
    const layers = j.device.layers.find((l) => l.layer === 'NFL')!;
    expect(layers.subfields[0]!.code).toBeNull(); // no standard code for a layer's subfield
  });

  it('grid FILE --csv writes one row per source x subfield x layer with unit and code', async () => {
    const csv = join(out, 'grid.csv');
    await run(['grid', XML, '--device-only', '--csv', csv]);
    const rows = readFileSync(csv, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('scan,eye,eye_source,source,segmentation,layer,subfield,thickness,volume,coverage_pct,partial,thickness_unit,volume_unit,code,fovea_x_mm,fovea_y_mm,fovea_method,fovea_confidence');
    // 8 maps x (9 subfields + centre point + grid)
    expect(rows).toHaveLength(1 + 8 * 11);
    expect(rows.find((r) => r.includes(',total,C0,'))).toMatch(/,device,.*,total,C0,79\.8,[\d.]+,[\d.]+,true,um,mm3,LOINC 57109-1,/);
  });

  it('report --scan ID of a volume writes the volume report (PDF, PNG) and the grid JSON', async () => {
    const pdf = join(out, 'volume.pdf');
    const png = join(out, 'volume.png');
    const json = join(out, 'volume.json');
    await run(['--home', cat.home, 'report', '--scan', String(volumeId), '--pdf', pdf, '--png', png, '--json', json]);
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await sharp(png).metadata()).width).toBe(1654);
    const j = JSON.parse(readFileSync(json, 'utf8')) as { scan: string; device: { layers: { layer: string }[] } };
    expect(j.scan).toBe(`scan ${volumeId}`);
    expect(j.device.layers[0]!.layer).toBe('total');
  });

  it('a catalog scan that is one image has no grid: BAD_INPUT naming the scan, not its file', async () => {
    const imageId = cat.services.db.prepare("SELECT id FROM scans WHERE kind = 'single'").pluck().get() as number;
    await expect(run(['--home', cat.home, 'grid', '--scan', String(imageId)])).rejects.toMatchObject({ code: 'BAD_INPUT', message: `scan ${imageId} is a single scan of 1 B-scan(s); maps need a volume (raster) scan` });
  });

  it('a line scan has no maps: BAD_INPUT saying why, nothing written', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'stratum-maps-line-'));
    try {
      await expect(run(['maps', sharedData('formats', 'spectralis-vol', 'Willis_B_716_0.vol'), '--out', empty])).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/line scan .* maps need a volume/) });
      expect(readdirSync(empty)).toEqual([]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
