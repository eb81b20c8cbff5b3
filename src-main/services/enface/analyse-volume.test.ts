import { describe, expect, it } from 'vitest';
import { haveSharedData, sharedData } from '../../../test-support/shared-data';
import { bandAreaInDisc } from '../../../test-support/synthetic-volume';
import { subfieldAreaMm2 } from '../../../src-shared/analysis/enface/etdrs';
import { openSeriesFile } from '../formats/open-series-file';
import { analyseVolume } from './analyse-volume';
import { sourceFromSeries, volumeLines } from './volume-source';
import { analyseVolume as analyseSurfaces } from '../../../src-shared/analysis/enface/volume-analysis';

const EYEPY_XML = ['formats', 'eyepy', 'tests', 'data', 'filetypes', 'heyex_xml', 'test_volume', 'test_dummy.xml'] as const;
const have = haveSharedData(...EYEPY_XML) && haveSharedData('formats', 'heyex-xml-volume');

/**
 * The eyepy XML export's known boundaries (its SegLines, the same in all 10 B-scans): ILM row 9.6 and
 * BM 30.2 on A-scans 2..39 of 50, RNFL 10.5, IPL 13.3, RPE 28.0; axial 3.872 µm/px. B-scans run from
 * x 1.513 to 7.564 mm at y 6.807 .. 6.524 mm.
 */
const AXIAL = 3.872;
const X0 = 1.513;
const X1 = 7.564;
const ascanX = (i: number) => X0 + ((X1 - X0) * i) / 49;
const Y_TOP = 6.524;
const Y_BOTTOM = 6.807;
/** The grid is placed by hand at the middle of the strip (the synthetic retina is flat: it has no pit). */
const CENTRE = { x: 4.5, y: (Y_TOP + Y_BOTTOM) / 2 };

describe.skipIf(!have)('the ETDRS grid of the eyepy synthetic XML export, against its known boundaries', () => {
  it('device maps and grid: means from the SegLines, coverage and volume of the scanned strip computed by hand', async () => {
    const { series, close } = await openSeriesFile(sharedData(...EYEPY_XML));
    try {
      const a = await analyseVolume(sourceFromSeries(series, 'test_dummy.xml'), { userFoveaMm: CENTRE, spacingMm: 0.005 });
      expect(a.stratum).toBeNull(); // no segmentation stored and no service: the device's maps only
      expect(a.segmentation!.missing).toHaveLength(10);
      expect(a.eye).toBe('OD');
      const device = a.device!;
      expect(device.fovea).toMatchObject({ method: 'user', centreMm: CENTRE });
      // no choroid line: no choroid map
      expect(Object.keys(device.mapSet.maps).sort()).toEqual(['EZ', 'GCL+IPL', 'INL', 'NFL', 'ONL', 'OPL', 'RPE', 'total'].sort());
      const total = Object.fromEntries(device.grids.total!.subfields.map((s) => [s.subfield, s]));

      // by hand: the data is the band |dy| <= h around the centre's row, from A-scan 2 to A-scan 39 in x
      const h = (Y_BOTTOM - Y_TOP) / 2;
      const left = CENTRE.x - ascanX(2); // 2.740 mm
      const right = ascanX(39) - CENTRE.x; // 1.829 mm
      const inDisc = (r: number) => bandAreaInDisc(r, h);
      const covered: Record<string, number> = {
        C0: inDisc(0.5),
        // the band inside the inner ring lies wholly in its nasal and temporal subfields (|dy| < |dx| there)
        N1: (inDisc(1.5) - inDisc(0.5)) / 2,
        T1: (inDisc(1.5) - inDisc(0.5)) / 2,
        // the outer ring: cut by the strip's ends in x (sqrt(3² - h²) > both reaches); OD: nasal is the image right
        N2: 2 * h * right - inDisc(1.5) / 2,
        T2: 2 * h * left - inDisc(1.5) / 2,
        S1: 0, I1: 0, S2: 0, I2: 0,
      };
      const thickness = (30.2 - 9.6) * AXIAL; // 79.7632 µm
      for (const [name, area] of Object.entries(covered)) {
        const s = total[name]!;
        const pct = (100 * area) / subfieldAreaMm2(s.key);
        expect(Math.abs(s.coveragePct - pct), `${name} coverage ${s.coveragePct} vs ${pct}`).toBeLessThan(1.5);
        expect(s.partial).toBe(true); // a 0.28 mm strip covers no subfield to 80 %
        if (area === 0) {
          expect(s.meanUm).toBeNull();
          continue;
        }
        expect(s.meanUm!).toBeCloseTo(thickness, 3);
        expect(Math.abs(s.volumeMm3! - (thickness * area) / 1000) / ((thickness * area) / 1000)).toBeLessThan(0.03);
      }
      expect(device.grids.total!.centralPointUm!).toBeCloseTo(thickness, 3);
      const totalArea = 2 * h * (left + right);
      expect(Math.abs(device.grids.total!.totalVolumeMm3! - (thickness * totalArea) / 1000) / ((thickness * totalArea) / 1000)).toBeLessThan(0.02);
      // the other layers: the distances between their lines
      const c0 = (key: keyof typeof device.grids) => device.grids[key]!.subfields[0]!.meanUm!;
      expect(c0('NFL')).toBeCloseTo((10.5 - 9.6) * AXIAL, 3);
      expect(c0('GCL+IPL')).toBeCloseTo((13.3 - 10.5) * AXIAL, 3);
      expect(c0('RPE')).toBeCloseTo((30.2 - 28.0) * AXIAL, 3);
      // IPL lacks A-scans 10-11, 20-21, 30-31 and RPE lacks 10, 20, 30: holes, never bridged
      expect(device.grids['GCL+IPL']!.coveragePct).toBeLessThan(device.grids.total!.coveragePct - 1);
      // drusen: a flat RPE complex has no elevation
      expect(device.drusen!.normalRpeUm!).toBeCloseTo((30.2 - 28.0) * AXIAL, 3);
      expect(device.drusen!.circles.map((c) => c.areaMm2)).toEqual([0, 0]);
    } finally {
      await close();
    }
  });

  it('the 145-B-scan XML volume (its own B-scan positions, ~5.7 x 4.3 mm): C0 fully covered, the superior and inferior outer subfields partial', async () => {
    const { series, close } = await openSeriesFile(sharedData('formats', 'heyex-xml-volume'));
    try {
      const source = sourceFromSeries(series, 'heyex-xml-volume');
      const lines = volumeLines(source);
      expect(lines).toHaveLength(145);
      // boundaries with a foveal pit near the middle of the scan (the real ones need the model: see docs/ETDRS.md)
      const mid = { x: (lines[0]!.start.x + lines[0]!.end.x) / 2, y: (lines[0]!.start.y + lines[144]!.start.y) / 2 };
      const surfaces = lines.map((l) => {
        const ilm = new Float32Array(l.width);
        for (let i = 0; i < l.width; i++) {
          const x = l.start.x + ((l.end.x - l.start.x) * i) / (l.width - 1);
          ilm[i] = 400 - (320 - 100 * Math.exp(-((x - mid.x) ** 2 + (l.start.y - mid.y) ** 2) / 0.25)) / AXIAL;
        }
        return { ILM: ilm, BM: new Float32Array(l.width).fill(400) };
      });
      const a = analyseSurfaces({ lines, surfaces, axialUmPerPx: AXIAL, source: 'stratum' }, { eye: 'unknown' });
      expect(Math.hypot(a.fovea.centreMm.x - mid.x, a.fovea.centreMm.y - mid.y)).toBeLessThan(0.05);
      const by = Object.fromEntries(a.grids.total!.subfields.map((sf) => [sf.subfield, sf]));
      expect(by.C0!.coveragePct).toBe(100);
      for (const k of ['S1', 'I1', 'L1', 'R1']) expect(by[k]!.coveragePct).toBe(100);
      // the scan reaches about 2.15 mm up and down from the fovea, the outer ring 3 mm
      for (const k of ['S2', 'I2']) {
        expect(by[k]!.partial).toBe(true);
        expect(by[k]!.coveragePct).toBeGreaterThan(45);
        expect(by[k]!.coveragePct).toBeLessThan(65);
      }
      for (const k of ['L2', 'R2']) expect(by[k]!.coveragePct).toBeGreaterThan(80);
    } finally {
      await close();
    }
  });

  it('a line scan has no en-face map: BAD_INPUT naming the file', async () => {
    const { series, close } = await openSeriesFile(sharedData('formats', 'spectralis-vol', 'Willis_B_716_0.vol'));
    try {
      await expect(analyseVolume(sourceFromSeries(series, 'Willis_B_716_0.vol'))).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/Willis_B_716_0\.vol: a line scan .* maps need a volume/) });
    } finally {
      await close();
    }
  });
});
