import { describe, expect, it } from 'vitest';
import { appErrorFrom } from '../../test-support/expect-ok';
import { EvaluationAccumulator } from './evaluation';

/** A 4-column map with NFL rows [top, top+h) and RPE below; everything else background. */
function bands(width: number, height: number, nflTop: number, nflH: number): Uint8Array {
  const m = new Uint8Array(width * height);
  for (let x = 0; x < width; x++) {
    for (let y = nflTop; y < nflTop + nflH; y++) m[y * width + x] = 1;
    for (let y = 8; y < 10; y++) m[y * width + x] = 7;
  }
  return m;
}

describe('EvaluationAccumulator', () => {
  it('identical maps score IoU 1, zero errors', () => {
    const acc = new EvaluationAccumulator();
    const a = bands(4, 12, 2, 3);
    acc.add(a, a, 4, 12, 2);
    const r = acc.result();
    expect(r.pixelAccuracy).toBe(1);
    expect(r.layers.find((l) => l.layer === 'NFL')).toMatchObject({ iou: 1, dice: 1, boundaryErrorPx: 0, thicknessErrorUm: 0 });
    // layers absent from the reference are not scored, and do not drag the mean down
    expect(r.layers.find((l) => l.layer === 'ONL')?.iou).toBeNull();
    expect(r.meanIoU).toBe(1);
  });

  it('a band shifted by one row: known IoU, boundary error 1 px, in um with a scale', () => {
    const acc = new EvaluationAccumulator();
    acc.add(bands(4, 12, 3, 3), bands(4, 12, 2, 3), 4, 12, 2);
    const nfl = acc.result().layers.find((l) => l.layer === 'NFL')!;
    expect(nfl.iou).toBeCloseTo(2 / 4); // intersection 2 rows, union 4 rows
    expect(nfl.dice).toBeCloseTo(2 / 3);
    expect(nfl.boundaryErrorPx).toBe(1);
    expect(nfl.boundaryErrorUm).toBe(2);
    expect(nfl.thicknessErrorPx).toBe(0);
  });

  it('maps of different sizes are BAD_INPUT naming both sizes, not an internal error', () => {
    const acc = new EvaluationAccumulator();
    expect(appErrorFrom(() => acc.add(bands(4, 12, 2, 3), bands(4, 11, 2, 3), 4, 12))).toMatchObject({
      code: 'BAD_INPUT',
      message: 'Prediction and reference differ in size: 48 and 44 pixels for a 4x12 image (48).',
    });
  });
});
