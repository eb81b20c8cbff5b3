import { describe, expect, it } from 'vitest';
import { LAYERS } from '../domain/layers';
import { ZONE_KEYS, type SegmentationSummary, type ThicknessUnit } from '../domain/segmentation';
import { visitChanges } from './visit-change';

/** Just the parts of a summary the visit table reads: every layer at `layer` per zone, TRT at `trt`. */
function summary(trt: number, layer: number, unit: ThicknessUnit = 'um'): SegmentationSummary {
  const zoneMeans = (v: number) => Object.fromEntries(ZONE_KEYS.map((z) => [z, z === 'centre' ? v - 50 : v]));
  return {
    total: { layer: 'TRT', unit, profile: [], zoneMeans: zoneMeans(trt), mean: trt },
    layers: LAYERS.map((l) => ({ layer: l.key, unit, profile: [], zoneMeans: zoneMeans(layer), mean: layer })),
  } as unknown as SegmentationSummary;
}

describe('change between visits', () => {
  it('orders visits by date and gives each one its change from the first', () => {
    const r = visitChanges([
      { scanId: 3, acquiredAt: '2026-03-01', summary: summary(300, 40) },
      { scanId: 1, acquiredAt: '2024-03-01', summary: summary(320, 50) },
      { scanId: 2, acquiredAt: '2025-03-01', summary: summary(310, 45) },
    ]);
    expect(r.rows.map((v) => v.scanId)).toEqual([1, 2, 3]);
    expect(r.rows[0]!.changeFromBaseline).toBeNull();
    expect(r.rows[2]!.changeFromBaseline!.TRT.rightInner).toBe(-20);
    expect(r.rows[2]!.changeFromBaseline!.RPE.centre).toBe(-10);
    expect(r.rows[1]!.values.TRT.centre).toBe(260);
    expect(r.notes).toEqual([]);
  });

  it('never subtracts pixels from micrometres, and keeps undated scans off the timeline', () => {
    const r = visitChanges([
      { scanId: 1, acquiredAt: '2024-01-01', summary: summary(320, 50) },
      { scanId: 2, acquiredAt: '2025-01-01', summary: summary(80, 12, 'px') },
      { scanId: 9, acquiredAt: null, summary: summary(300, 40) },
    ]);
    expect(r.rows[1]!.changeFromBaseline).toBeNull();
    expect(r.undated).toEqual([9]);
    expect(r.notes.join(' ')).toContain('measured in px, the baseline in um');
  });

  it('gives nothing to compare for an empty list', () => {
    expect(visitChanges([])).toEqual({ rows: [], undated: [], notes: [] });
  });
});
