import { describe, expect, it } from 'vitest';
import { layeredLabels } from '../../../test-support/label-maps';
import { IDENTITY_CLASS_MAP, logitsFor } from '../../../test-support/synthetic-logits';
import { CLASS_COUNT } from '../../domain/layers';
import { argmaxLogits } from './argmax';
import { bandEntropy, bandGapShare, flipDisagreement, retinaBand } from './uncertainty';

const W = 40;
const H = 60;
const stack = () => layeredLabels(W, H, 10, (_x, c) => (c === 8 ? 10 : 5)); // retina rows 10-44

describe('uncertainty inside the retina band', () => {
  it('entropy: 0 for a sure network, 1 for one with no preference', () => {
    const labels = stack();
    const sure = argmaxLogits(logitsFor(labels, W, H, () => ({ p: 1 - 1e-7 })), IDENTITY_CLASS_MAP, H, W);
    const band = retinaBand(labels, W, H);
    expect(bandEntropy(sure.entropy, band, W)).toBeLessThan(1e-3);
    // no preference, but NFL ahead by a hair everywhere, so the whole image is tissue (the softmax is
    // computed inside the tissue band)
    const flat = new Float32Array(CLASS_COUNT * W * H);
    flat.fill(1e-6, W * H, 2 * W * H);
    const none = argmaxLogits(flat, IDENTITY_CLASS_MAP, H, W);
    expect(bandEntropy(none.entropy, band, W)).toBeCloseTo(1, 3);
  });

  it('flip disagreement: 0 for a mirror-symmetric answer, the changed share otherwise', () => {
    const labels = stack();
    const band = retinaBand(labels, W, H);
    expect(flipDisagreement(labels, labels, band, W)).toBe(0);
    const flipped = Uint8Array.from(labels);
    for (let y = 10; y < 15; y++) flipped[y * W + (W - 1 - 3)] = 0; // 5 pixels of column 3, as mirrored
    expect(flipDisagreement(labels, flipped, band, W)).toBeCloseTo(5 / (35 * W), 6);
  });

  it('gap share counts background inside the band only', () => {
    const labels = stack();
    for (let y = 20; y < 24; y++) for (let x = 5; x < 10; x++) labels[y * W + x] = 0; // a 20-pixel cyst
    expect(bandGapShare(labels, retinaBand(labels, W, H), W)).toBeCloseTo(20 / (35 * W), 6);
  });
});
