import { describe, expect, it } from 'vitest';
import { repairOrder } from './order-repair';

describe('repairOrder', () => {
  it('removes islands and out-of-order fragments, leaving one band per layer', () => {
    const w = 1;
    // an INL fragment inside NFL, an NFL fragment inside GCL+IPL, an ONL island below the retina
    const col = [0, 1, 1, 3, 1, 2, 2, 2, 1, 2, 3, 0, 5, 0];
    const labels = Uint8Array.from(col);
    const r = repairOrder(labels, w, col.length);
    expect([...labels]).toEqual([0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 0, 0, 0]);
    expect(r.columns).toBe(1);
    expect(r.pixels).toBe(3);
  });
  it('leaves an ordered column alone and fills gaps inside the retina', () => {
    const ordered = Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 0]);
    expect(repairOrder(ordered, 1, ordered.length).columns).toBe(0);
    const gap = Uint8Array.from([0, 1, 1, 0, 2, 2, 0]);
    repairOrder(gap, 1, gap.length);
    expect(gap[3]).not.toBe(0);
    expect([...gap].filter((v) => v === 0).length).toBe(2);
  });
});
