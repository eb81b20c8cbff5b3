import { describe, expect, it } from 'vitest';
import { INFERENCE_MAX_PIXELS } from '../../../src-shared/domain/limits';
import { ModelRegistry } from '../models/registry';
import { isDownscaled, preprocess, tensorSize } from './preprocess';

const card = new ModelRegistry().resolve().card;

describe('tensorSize', () => {
  it('pads a real B-scan to the multiple, at its own resolution', () => {
    expect(tensorSize(card, 750, 500)).toEqual({ width: 752, height: 512 });
    expect(tensorSize(card, 1536, 1536)).toEqual({ width: 1536, height: 1536 });
  });

  it('downscales anything over INFERENCE_MAX_PIXELS, keeping the aspect ratio, so memory stays bounded', () => {
    for (const [w, h] of [[3300, 2200], [6700, 4470], [30_000, 1000]] as const) {
      const t = tensorSize(card, w, h);
      expect(t.width * t.height).toBeLessThanOrEqual(INFERENCE_MAX_PIXELS);
      expect(t.width % 16 + (t.height % 16)).toBe(0);
      expect(Math.abs(t.width / t.height - w / h) / (w / h)).toBeLessThan(0.05);
      expect(isDownscaled(card, t, w, h)).toBe(true);
    }
    expect(isDownscaled(card, tensorSize(card, 750, 500), 750, 500)).toBe(false);
  });

  it('prepares the downscaled tensor by resizing (labels are mapped back by resize, not crop)', () => {
    const w = 3300;
    const h = 2200;
    const p = preprocess(card, new Uint8Array(w * h).fill(128), w, h);
    expect(p.mapBack).toBe('resize');
    expect(p.data.length).toBe(p.width * p.height);
    expect(p.width * p.height).toBeLessThanOrEqual(INFERENCE_MAX_PIXELS);
  });
});
