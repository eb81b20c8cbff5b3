import { describe, expect, it } from 'vitest';
import { evenly, syntheticVolume } from '../../../test-support/synthetic-volume';
import { gridSampler } from './enface-map';
import { gridStats, subfieldAreaMm2, subfieldAt, subfieldName, subfieldOrder } from './etdrs';
import { buildMapSet } from './map-set';
import { rasterGeometry } from './raster-geometry';

const CENTRE = { x: 4, y: 4 };

/** Total retina map of a raster over x0..x1, y0..y1 (mm) on a 0.01 mm grid over the same area. */
function totalMap(x0: number, x1: number, y0: number, y1: number, bm: (x: number, y: number) => number, axial = 3) {
  const v = syntheticVolume({ ys: evenly(y0, y1, Math.round((y1 - y0) / 0.05) + 1), x0, x1, width: Math.round((x1 - x0) / 0.05) + 1, axialUmPerPx: axial, surfaces: { ILM: () => 0, BM: bm } });
  const g = rasterGeometry(v.lines);
  const s = 0.01;
  const grid = { originMm: [x0, y0] as [number, number], spacingMm: [s, s] as [number, number], cols: Math.round((x1 - x0) / s) + 1, rows: Math.round((y1 - y0) / s) + 1 };
  return buildMapSet(v, gridSampler(g, grid), g).maps.total!;
}

describe('ETDRS grid geometry', () => {
  it('names subfields by the eye: nasal on the image right for OD, mirrored for OS, image sides when unknown', () => {
    expect(subfieldAt(0.2, 0)).toBe('C0');
    expect(subfieldAt(1, 0)).toBe('R1');
    expect(subfieldAt(-2, 0.1)).toBe('L2');
    expect(subfieldAt(0, -1)).toBe('S1'); // y down: superior is up on the localizer
    expect(subfieldAt(0.1, 2.5)).toBe('I2');
    expect(subfieldAt(3.01, 0)).toBeNull();
    expect(subfieldName('R1', 'OD')).toBe('N1');
    expect(subfieldName('R1', 'OS')).toBe('T1');
    expect(subfieldName('L2', 'OS')).toBe('N2');
    expect(subfieldName('L2', 'unknown')).toBe('L2');
    expect(subfieldOrder('OD').map((k) => subfieldName(k, 'OD'))).toEqual(['C0', 'S1', 'N1', 'I1', 'T1', 'S2', 'N2', 'I2', 'T2']);
    expect(subfieldOrder('OS').map((k) => subfieldName(k, 'OS'))).toEqual(['C0', 'S1', 'N1', 'I1', 'T1', 'S2', 'N2', 'I2', 'T2']);
    const unknown = subfieldOrder('unknown').map((k) => subfieldName(k, 'unknown'));
    expect(unknown.some((n) => n.startsWith('N') || n.startsWith('T'))).toBe(false);
  });
});

describe('ETDRS grid statistics', () => {
  it('volume in mm³: a constant 300 µm over a fully scanned subfield is 300 µm x its area / 1000', () => {
    const map = totalMap(0.5, 7.5, 0.5, 7.5, () => 100); // 100 px x 3 µm/px
    const g = gridStats(map, CENTRE, 'OD');
    const byName = Object.fromEntries(g.subfields.map((s) => [s.subfield, s]));
    // by hand: C0 = pi x 0.5² mm² = 0.785398 mm² -> 300 x 0.785398 / 1000 = 0.235619 mm³
    expect(byName.C0!.meanUm).toBeCloseTo(300, 6);
    expect(byName.C0!.coveragePct).toBe(100);
    expect(byName.C0!.volumeMm3).toBeCloseTo(0.235619, 6);
    // inner subfield: pi (1.5² - 0.5²) / 4 = 1.570796 mm² -> 0.471239 mm³; outer: pi (3² - 1.5²) / 4 = 5.301438 mm² -> 1.590431 mm³
    expect(byName.N1!.volumeMm3).toBeCloseTo(0.471239, 6);
    expect(byName.T2!.volumeMm3).toBeCloseTo(1.590431, 6);
    // the 6 mm disc: pi x 3² = 28.274334 mm² -> 8.482300 mm³
    expect(g.totalVolumeMm3).toBeCloseTo(8.4823, 4);
    expect(g.centralPointUm).toBeCloseTo(300, 6);
    expect(g.partial).toBe(false);
    expect(subfieldAreaMm2('S2')).toBeCloseTo(5.301438, 6);
  });

  it('coverage: a scan shorter than the grid leaves the superior and inferior outer subfields partial by the covered share', () => {
    const h = 2.2; // the scan covers 4 +- 2.2 mm vertically, 4 +- 3.5 mm horizontally
    const map = totalMap(0.5, 7.5, CENTRE.y - h, CENTRE.y + h, () => 100);
    const g = gridStats(map, CENTRE, 'OD');
    const by = Object.fromEntries(g.subfields.map((s) => [s.subfield, s]));
    // by hand: the part of S2 above y = -h is, in polar (theta from 45° to 135°), where r sin(theta) > h:
    // integral of (3² - (h / sin theta)²) / 2 dtheta over [t1, pi - t1], t1 = asin(h / 3)
    // = 4.5 (pi - 2 t1) - h² cot(t1)
    const t1 = Math.asin(h / 3);
    const outside = 4.5 * (Math.PI - 2 * t1) - (h * h) / Math.tan(t1);
    const expected = (100 * (subfieldAreaMm2('S2') - outside)) / subfieldAreaMm2('S2');
    expect(expected).toBeCloseTo(57.73, 2);
    for (const name of ['S2', 'I2']) {
      expect(by[name]!.coveragePct).toBeCloseTo(expected, 0);
      expect(Math.abs(by[name]!.coveragePct - expected)).toBeLessThan(0.5);
      expect(by[name]!.partial).toBe(true);
      expect(by[name]!.meanUm).toBeCloseTo(300, 6); // the mean of the covered part
      // the volume is the covered part's
      expect(by[name]!.volumeMm3!).toBeCloseTo((300 * subfieldAreaMm2('S2') * by[name]!.coveragePct) / 100 / 1000, 6);
    }
    // the horizontal outer subfields reach only 3 sin 45° = 2.12 mm up and down: fully covered
    for (const name of ['C0', 'S1', 'N1', 'I1', 'T1', 'N2', 'T2']) {
      expect(by[name]!.coveragePct).toBe(100);
      expect(by[name]!.partial).toBe(false);
    }
    expect(g.partial).toBe(true);
  });

  it('coverage is 0 and the mean null for a subfield the scan does not reach', () => {
    const map = totalMap(3, 5, 3.9, 4.1, () => 100);
    const by = Object.fromEntries(gridStats(map, CENTRE, 'OD').subfields.map((s) => [s.subfield, s]));
    expect(by.S2!.coveragePct).toBe(0);
    expect(by.S2!.meanUm).toBeNull();
    expect(by.S2!.volumeMm3).toBeNull();
  });

  it('OD/OS mirroring: a retina thicker on the image right is thicker nasally for OD, temporally for OS', () => {
    const thickerRight = (x: number) => 100 + 10 * (x - 4);
    const thickerLeft = (x: number) => 100 - 10 * (x - 4);
    const right = totalMap(0.5, 7.5, 0.5, 7.5, thickerRight);
    const od = Object.fromEntries(gridStats(right, CENTRE, 'OD').subfields.map((s) => [s.subfield, s.meanUm!]));
    const os = Object.fromEntries(gridStats(right, CENTRE, 'OS').subfields.map((s) => [s.subfield, s.meanUm!]));
    expect(od.N1!).toBeGreaterThan(od.T1! + 50);
    expect(os.T1!).toBeCloseTo(od.N1!, 6);
    expect(os.N2!).toBeCloseTo(od.T2!, 6);
    // the left eye's mirror image has the right eye's numbers under the same anatomical names
    const mirrored = Object.fromEntries(gridStats(totalMap(0.5, 7.5, 0.5, 7.5, thickerLeft), CENTRE, 'OS').subfields.map((s) => [s.subfield, s.meanUm!]));
    for (const name of ['C0', 'S1', 'N1', 'I1', 'T1', 'S2', 'N2', 'I2', 'T2']) expect(mirrored[name]!).toBeCloseTo(od[name]!, 4);
    // unknown eye: image sides, the right one thicker
    const unknown = Object.fromEntries(gridStats(right, CENTRE, 'unknown').subfields.map((s) => [s.subfield, s.meanUm!]));
    expect(Object.keys(unknown).sort()).toEqual(['C0', 'I1', 'I2', 'L1', 'L2', 'R1', 'R2', 'S1', 'S2']);
    expect(unknown.R1!).toBeCloseTo(od.N1!, 9);
  });
});
