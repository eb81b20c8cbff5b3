import { describe, expect, it } from 'vitest';
import { niceStep, niceTicks, tickLabel, xAxisFor } from './chart-axis';

describe('chart axes', () => {
  it('round-number ticks, not the range in quarters', () => {
    // the old chart cut 384 into 96/192/288/384
    expect(niceTicks(0, 356)).toEqual([0, 100, 200, 300, 400]);
    expect(niceTicks(0, 90)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(-3.1, 2.9)).toEqual([-4, -2, 0, 2, 4]);
    expect(niceTicks(0, 0.7, 4)).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(niceStep(12, 4)).toBe(2);
    expect(niceStep(20, 4)).toBe(5);
    expect(niceStep(0)).toBe(1);
  });
  it('the x-axis is mm from the fovea with a lateral scale, px without one', () => {
    const mm = xAxisFor(8, 375);
    expect(mm.unit).toBe('mm');
    expect(mm.value(375)).toBe(0);
    expect(mm.value(500)).toBeCloseTo(1);
    expect(mm.column(-1)).toBeCloseTo(250);
    expect(xAxisFor(8, null).value(125)).toBeCloseTo(1);
    expect(xAxisFor(null, 375).unit).toBe('px');
    expect(tickLabel(-2, 1)).toBe('−2');
    expect(tickLabel(0.5, 0.5)).toBe('0.5');
    expect(tickLabel(-0, 1)).toBe('0');
  });
});
