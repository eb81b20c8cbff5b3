import { describe, expect, it } from 'vitest';
import { deviceDifference, stratumBoundaryRows } from './device-difference';

/** A 4-column map: background rows 0-1, NFL 2-3, GCL+IPL 4, INL 5, OPL 6, ONL 7, EZ 8, RPE 9-10, choroid 11. */
function map(width = 4): Uint8Array {
  const rows = [0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 7, 8];
  const labels = new Uint8Array(width * rows.length);
  rows.forEach((c, y) => labels.fill(c, y * width, (y + 1) * width));
  return labels;
}

describe('device lines against Stratum boundaries', () => {
  it('finds ILM at the first retinal row, RNFL at the top of GCL+IPL and BM below the RPE', () => {
    const labels = map();
    expect(stratumBoundaryRows(labels, 4, 12, 'ILM')).toEqual([2, 2, 2, 2]);
    expect(stratumBoundaryRows(labels, 4, 12, 'RNFL')).toEqual([4, 4, 4, 4]);
    expect(stratumBoundaryRows(labels, 4, 12, 'BM')).toEqual([11, 11, 11, 11]);
    expect(stratumBoundaryRows(labels, 4, 12, 'PR1')).toBeNull(); // not mapped: shown, never compared
    // at a foveal pit without NFL the ILM is the first retinal layer present
    labels[2 * 4] = 0;
    labels[3 * 4] = 0;
    expect(stratumBoundaryRows(labels, 4, 12, 'ILM')![0]).toBe(4);
  });

  it('reports the mean absolute difference per boundary in px and µm over the columns both have', () => {
    const d = deviceDifference(
      [
        { name: 'ILM', rows: [3, 2, null, NaN] }, // 1 px deeper, equal; two columns without a device value
        { name: 'BM', rows: [9, 9, 13, 11] }, // 2 up, 2 up, 2 down, equal
        { name: 'ELM', rows: [7, 7, 7, 7] },
      ],
      map(), 4, 12, 3.87,
    );
    expect(d).toEqual([
      { name: 'ILM', stratum: 'top of NFL (ILM)', columns: 2, meanAbsPx: 0.5, meanAbsUm: 1.94, meanSignedUm: 1.94 },
      { name: 'BM', stratum: 'below RPE (BM)', columns: 4, meanAbsPx: 1.5, meanAbsUm: 5.81, meanSignedUm: -1.93 },
    ]);
    // without an axial scale only pixels
    expect(deviceDifference([{ name: 'ILM', rows: [3, 3, 3, 3] }], map(), 4, 12, null)[0]).toMatchObject({ meanAbsPx: 1, meanAbsUm: null });
  });
});
