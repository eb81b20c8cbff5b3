import { describe, expect, it } from 'vitest';
import {
  argmaxLogits,
  findFovea,
  layerBoundaries,
  layerThicknessPx,
  repairOrder,
  summariseSegmentation,
  totalThicknessPx,
  zoneSpans,
} from './segmentation';
import { estimateScaleForImage } from './scale';
import type { ScanScale } from '../domain/segmentation';

/** A synthetic scan: per column, each layer 1..8 gets `thick(x, c)` rows starting at row `top`. */
function synthetic(width: number, height: number, top: number, thick: (x: number, c: number) => number): Uint8Array {
  const labels = new Uint8Array(width * height);
  for (let x = 0; x < width; x++) {
    let y = top;
    for (let c = 1; c <= 8; c++) {
      const t = thick(x, c);
      for (let k = 0; k < t && y < height; k++, y++) labels[y * width + x] = c;
    }
  }
  return labels;
}

const MODEL = { id: 'm', version: '0', name: 'm', trained: true };
const ENGINE = { engine: 'test', executionProvider: 'none' };

describe('argmaxLogits', () => {
  it('maps the model class order to the canonical one and returns the softmax maximum', () => {
    // 2 classes, 1x2 image; model class 0 = canonical 3, model class 1 = canonical 0
    const logits = new Float32Array([5, 0, 0, 5]); // [C=2][H=1][W=2]
    const r = argmaxLogits(logits, [3, 0], 1, 2);
    expect([...r.labels]).toEqual([3, 0]);
    expect(r.confidence[0]).toBeCloseTo(1 / (1 + Math.exp(-5)), 5);
  });
  it('crops padding away', () => {
    const logits = new Float32Array(2 * 2 * 4); // C=2, H=2, W=4 -> out 1x3
    logits[8 + 1] = 1; // class 1 at (0,1)
    const r = argmaxLogits(logits, [0, 1], 2, 4, 1, 3);
    expect([...r.labels]).toEqual([0, 1, 0]);
  });
});

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

describe('boundaries and thickness', () => {
  it('finds top/bottom per column and thickness per layer and total (NFL top to RPE bottom)', () => {
    const w = 4;
    const h = 60;
    const labels = synthetic(w, h, 5, (x, c) => (c === 1 ? 2 + x : c === 8 ? 6 : 3));
    const b = layerBoundaries(labels, w, h);
    expect(b.top[1]![0]).toBe(5);
    expect(b.bottom[1]![0]).toBe(7);
    expect(b.top[2]![2]).toBe(9);
    expect(layerThicknessPx(b, 1)).toEqual([2, 3, 4, 5]);
    // total = NFL (2+x) + 6 layers x 3 (GCL..RPE), choroid excluded
    expect(totalThicknessPx(b, w)).toEqual([20, 21, 22, 23]);
    expect(layerThicknessPx(b, 8)).toEqual([6, 6, 6, 6]);
  });
  it('reports absent layers as null', () => {
    const labels = synthetic(2, 30, 2, (x, c) => (c === 1 && x === 1 ? 0 : 2));
    const b = layerBoundaries(labels, 2, 30);
    expect(layerThicknessPx(b, 1)).toEqual([2, null]);
  });
});

describe('findFovea', () => {
  it('finds an off-centre pit, not the image centre', () => {
    const n = 400;
    const pit = 150;
    const profile = Array.from({ length: n }, (_, x) => 300 - 120 * Math.exp(-(((x - pit) / 25) ** 2)) + (x % 7) - 3);
    const f = findFovea(profile)!;
    expect(Math.abs(f.column - pit)).toBeLessThanOrEqual(3);
    expect(f.confidence).toBeGreaterThan(0.9);
  });
  it('gives low confidence on a flat profile and null when mostly missing', () => {
    expect(findFovea(Array.from({ length: 100 }, () => 200))!.confidence).toBeLessThan(0.1);
    expect(findFovea(Array.from({ length: 100 }, (_, x) => (x < 70 ? null : 200)))).toBeNull();
  });
});

describe('zoneSpans', () => {
  // 10 µm/px lateral: centre radius 50 px, inner ring to 150 px, outer ring to 300 px
  it('puts nasal to the right of the fovea for OD', () => {
    const z = Object.fromEntries(zoneSpans(400, 1000, 10, 'OD').map((s) => [s.key, [s.startColumn, s.endColumn]]));
    expect(z.centre).toEqual([350, 450]);
    expect(z.nasalInner).toEqual([450, 550]);
    expect(z.nasalOuter).toEqual([550, 700]);
    expect(z.temporalInner).toEqual([250, 350]);
    expect(z.temporalOuter).toEqual([100, 250]);
  });
  it('mirrors for OS and clips at the image edge', () => {
    const z = Object.fromEntries(zoneSpans(400, 600, 10, 'OS').map((s) => [s.key, [s.startColumn, s.endColumn]]));
    expect(z.nasalInner).toEqual([250, 350]);
    expect(z.nasalOuter).toEqual([100, 250]);
    expect(z.temporalInner).toEqual([450, 550]);
    expect(z.temporalOuter).toEqual([550, 600]);
  });
  it('has no zones without a lateral scale', () => {
    expect(zoneSpans(400, 1000, null, 'OD')).toEqual([]);
  });
});

describe('summariseSegmentation', () => {
  const w = 750;
  const h = 500;
  const pit = 300;
  // NFL and GCL+IPL thin out at the pit; other layers constant
  const labels = synthetic(w, h, 100, (x, c) => {
    const dip = Math.exp(-(((x - pit) / 40) ** 2));
    if (c === 1) return Math.round(20 * (1 - dip));
    if (c === 2) return Math.round(40 * (1 - 0.9 * dip));
    return c === 8 ? 30 : 15;
  });
  const base = { labels, width: w, height: h, confidence: null, model: MODEL, engine: ENGINE, orderRepair: { columns: 0, pixels: 0 } };

  it('reports micrometres with a known axial scale and zone means around the found fovea', () => {
    const scale = estimateScaleForImage(750, 500);
    expect(scale.provenance).toBe('device-profile');
    const s = summariseSegmentation({ ...base, scale, eye: 'OD' });
    expect(s.total.unit).toBe('um');
    expect(Math.abs(s.fovea!.column - pit)).toBeLessThanOrEqual(2);
    // far from the pit: 20 + 40 + 5 x 15 = 135 px = 540 µm
    expect(s.total.profile[700]).toBeCloseTo(135 * scale.axialUmPerPx!, 1);
    const ez = s.layers.find((l) => l.layer === 'EZ')!;
    expect(ez.zoneMeans.centre).toBeCloseTo(15 * scale.axialUmPerPx!, 5);
    expect(ez.zoneMeans.nasalOuter).toBeCloseTo(15 * scale.axialUmPerPx!, 5);
    expect(s.zones.map((z) => z.key)).toContain('centre');
    const centre = s.zones.find((z) => z.key === 'centre')!;
    expect(centre.endColumn - centre.startColumn).toBe(125);
    expect(s.eye).toEqual({ value: 'OD', assumed: false });
    expect(s.flags.likelyFailure).toBe(false);
  });

  it('reports pixels and no zones when the scale is unknown', () => {
    const scale: ScanScale = estimateScaleForImage(879, 586);
    expect(scale.provenance).toBe('unknown');
    const s = summariseSegmentation({ ...base, scale, eye: null });
    expect(s.total.unit).toBe('px');
    expect(s.total.profile[700]).toBe(135);
    expect(s.zones).toEqual([]);
    expect(s.total.zoneMeans.centre).toBeNull();
    expect(s.fovea).not.toBeNull();
  });

  it('flags an empty segmentation as a likely failure', () => {
    const s = summariseSegmentation({ ...base, labels: new Uint8Array(w * h), scale: estimateScaleForImage(w, h), eye: 'OS' });
    expect(s.flags.likelyFailure).toBe(true);
    expect(s.fovea).toBeNull();
    expect(s.flags.columnsMissingLayers).toBe(1);
  });
});
