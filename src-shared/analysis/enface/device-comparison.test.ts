import { describe, expect, it } from 'vitest';
import { evenly, syntheticVolume } from '../../../test-support/synthetic-volume';
import { compareGrids } from './device-comparison';
import { volumeSampler } from './map-set';
import { analyseVolume } from './volume-analysis';

describe('Stratum minus device per subfield', () => {
  it('gives the thickness difference of every subfield both cover, on one grid and one fovea', () => {
    const spec = { ys: evenly(1, 7, 61), x0: 1, x1: 7, width: 121, axialUmPerPx: 2 };
    const stratum = syntheticVolume({ ...spec, surfaces: { ILM: () => 10, EZ_RPE: () => 150, BM: () => 160 } });
    // the device draws BM 5 px (10 µm) higher, and no RPE line
    const device = syntheticVolume({ ...spec, source: 'device', surfaces: { ILM: () => 10, BM: () => 155 } });
    const sampler = volumeSampler(stratum.lines);
    const s = analyseVolume(stratum, { eye: 'OD', sampler, userFoveaMm: { x: 4, y: 4 } });
    const d = analyseVolume(device, { eye: 'OD', sampler, fovea: s.fovea });
    const c = compareGrids(s, d);
    expect(c.map((x) => x.map)).toEqual(['total']);
    expect(c[0]!.subfields.map((x) => x.differenceUm)).toEqual(new Array(9).fill(10));
    expect(c[0]!.centralPoint.differenceUm).toBeCloseTo(10, 6);
    expect(c[0]!.totalVolume.differenceMm3!).toBeCloseTo((10 * Math.PI * 9) / 1000, 4);
  });
});
