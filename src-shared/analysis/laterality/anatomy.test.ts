import { describe, expect, it } from 'vitest';
import { layeredLabels } from '../../../test-support/label-maps';
import { nasalSideFromAnatomy } from './anatomy';

const W = 750;
const H = 300;
const F = 375;
const LATERAL = 8; // µm per column: 6 mm over 750 columns

/**
 * A fovea-centred label map whose NFL is `nasal` px thick on one side and `temporal` px on the other
 * (absent within 0.5 mm of the fovea, as at a real pit); the other layers keep a fixed thickness.
 * With `disc`, the RPE and choroid end at the disc margin and the NFL thickens over the 0.3 mm before it.
 */
function scan(nasalSide: 'left' | 'right', nasal: number, temporal: number, disc?: { from: number }, lateral = LATERAL) {
  const labels = layeredLabels(W, H, 40, (x, c) => {
    const d = x - F;
    if (c === 1) {
      if (Math.abs(d) < 500 / lateral) return 0;
      // the peripapillary NFL heaps up toward the disc margin
      if (disc && x >= disc.from - 40) return 30;
      const onNasal = nasalSideOf(d) === nasalSide;
      return onNasal ? nasal : temporal;
    }
    return [0, 0, 14, 10, 8, 20, 5, 8, 25][c]!;
  });
  if (disc) {
    // the optic disc: no RPE (nor choroid) from the disc margin to the image edge
    for (let y = 0; y < H; y++) {
      for (let x = disc.from; x < W; x++) if (labels[y * W + x]! >= 7) labels[y * W + x] = 0;
    }
  }
  return labels;
}
const nasalSideOf = (d: number) => (d > 0 ? 'right' : 'left');

describe('nasalSideFromAnatomy', () => {
  for (const side of ['left', 'right'] as const) {
    it(`puts nasal on the side with the thicker NFL (${side})`, () => {
      const r = nasalSideFromAnatomy({ labels: scan(side, 12, 4), width: W, height: H, foveaColumn: F, lateralUmPerPx: LATERAL });
      expect(r?.nasalSide).toBe(side);
      expect(r!.confidence).toBeGreaterThan(0.9);
      expect(side === 'left' ? r!.evidence.nflLeft : r!.evidence.nflRight).toBeCloseTo(12, 5);
    });
  }

  it('uses bands as shares of the width when the lateral scale is unknown', () => {
    const r = nasalSideFromAnatomy({ labels: scan('left', 9, 3), width: W, height: H, foveaColumn: F, lateralUmPerPx: null });
    expect(r?.nasalSide).toBe('left');
  });

  it('is inconclusive (null, not a guess) when the sides differ too little', () => {
    expect(nasalSideFromAnatomy({ labels: scan('left', 10, 9), width: W, height: H, foveaColumn: F, lateralUmPerPx: LATERAL })).toBeNull();
    expect(nasalSideFromAnatomy({ labels: scan('left', 6, 6), width: W, height: H, foveaColumn: F, lateralUmPerPx: LATERAL })).toBeNull();
    // a large relative but tiny absolute difference (1 px against 0.6 px) is noise at this resolution
    expect(nasalSideFromAnatomy({ labels: scan('left', 0, 0), width: W, height: H, foveaColumn: F, lateralUmPerPx: LATERAL })).toBeNull();
  });

  it('compares matched distances when the fovea is off-centre', () => {
    // fovea at column 200: the left band is cut to 1-1.6 mm and the right band is cut to the same
    const labels = layeredLabels(W, H, 40, (x, c) => (c === 1 ? (Math.abs(x - 200) < 62 ? 0 : x > 200 + 200 ? 20 : x > 200 ? 3 : 9) : 10));
    const r = nasalSideFromAnatomy({ labels, width: W, height: H, foveaColumn: 200, lateralUmPerPx: LATERAL });
    // within the matched 1.0-1.6 mm band the left NFL (9) is thicker than the right (3); the very thick
    // right NFL beyond 1.6 mm has no counterpart on the left and is not compared
    expect(r?.nasalSide).toBe('left');
    expect(r!.evidence.nflRight).toBeCloseTo(3, 5);
  });

  it('finds the optic disc margin and agrees with the NFL', () => {
    const r = nasalSideFromAnatomy({ labels: scan('right', 12, 4, { from: 700 }), width: W, height: H, foveaColumn: F, lateralUmPerPx: LATERAL });
    expect(r?.nasalSide).toBe('right');
    expect(r!.evidence.disc).toBe('right');
  });

  it('answers from the disc alone (moderately sure) when the NFL does not differ', () => {
    // a 12 mm scan: the 1-3 mm bands end at column 562, well before the disc
    const r = nasalSideFromAnatomy({ labels: scan('right', 12, 12, { from: 700 }, 16), width: W, height: H, foveaColumn: F, lateralUmPerPx: 16 });
    expect(r).toMatchObject({ nasalSide: 'right', confidence: 0.5, evidence: { disc: 'right' } });
  });

  it('returns null when the NFL and the disc contradict each other', () => {
    const labels = scan('left', 12, 4, { from: 700 }, 16);
    expect(nasalSideFromAnatomy({ labels, width: W, height: H, foveaColumn: F, lateralUmPerPx: 16 })).toBeNull();
  });

  it('returns null for a fovea off the image or a fovea at the edge (no band on one side)', () => {
    const labels = scan('left', 12, 4);
    expect(nasalSideFromAnatomy({ labels, width: W, height: H, foveaColumn: -1, lateralUmPerPx: LATERAL })).toBeNull();
    expect(nasalSideFromAnatomy({ labels, width: W, height: H, foveaColumn: 20, lateralUmPerPx: LATERAL })).toBeNull();
  });
});
