import { describe, expect, it } from 'vitest';
import { layeredLabels } from '../../../test-support/label-maps';
import { IDENTITY_CLASS_MAP, logitsFor, type PixelBelief } from '../../../test-support/synthetic-logits';
import { argmaxLogits } from './argmax';
import { layerBoundaries } from './boundaries';
import { findIslands } from './islands';
import { ORDER_RULES, orderWithProbabilities } from './layer-order';

const W = 60;
const H = 90;
/** NFL..RPE 6 rows each from row 10 (rows 10-51), choroid rows 52-71. */
const stack = () => layeredLabels(W, H, 10, (_x, c) => (c === 8 ? 20 : 6));
const at = (x: number, y: number) => y * W + x;

/** The whole pipeline stage 1-2 on synthetic logits: argmax, islands, order. */
function order(labels: Uint8Array, belief?: (i: number, label: number) => PixelBelief) {
  const logits = logitsFor(labels, W, H, belief);
  const a = argmaxLogits(logits, IDENTITY_CLASS_MAP, H, W);
  const islands = findIslands(a.labels, W, H);
  const r = orderWithProbabilities({ logits, offset: 0, tensorWidth: W, tensorHeight: H, classMap: IDENTITY_CLASS_MAP, width: W, height: H, labels: a.labels, islands: islands.mask });
  return { argmax: a.labels, ...r };
}

describe('orderWithProbabilities', () => {
  it('leaves an ordered map alone, gaps included', () => {
    const labels = stack();
    for (let y = 22; y < 30; y++) for (let x = 20; x < 30; x++) labels[at(x, y)] = 0; // a cyst across INL/OPL
    const r = order(labels);
    expect(r.columns).toBe(0);
    expect([...r.labels]).toEqual([...labels]);
  });

  it('relabels an out-of-order fragment with the layer the network gave as second choice', () => {
    const labels = stack();
    // an ONL (5) fragment inside NFL (rows 10-15), columns 20-39; the network's second choice there is NFL
    for (let y = 11; y < 14; y++) for (let x = 20; x < 40; x++) labels[at(x, y)] = 5;
    const r = order(labels, (i, l) => (l === 5 && i < at(0, 14) ? { p: 0.5, second: { c: 1, p: 0.4 } } : {}));
    for (let y = 11; y < 14; y++) for (let x = 20; x < 40; x++) expect(r.labels[at(x, y)]).toBe(1);
    expect(r.columns).toBe(20);
    expect(r.unlabelled).toBe(0);
    // the real ONL band below is untouched
    expect(r.labels[at(30, 36)]).toBe(5);
  });

  it('leaves a fragment unlabelled when no layer that fits has the network behind it', () => {
    const labels = stack();
    for (let y = 11; y < 14; y++) for (let x = 20; x < 40; x++) labels[at(x, y)] = 5;
    // the network is sure of ONL there: NFL gets only the even share of the rest
    const r = order(labels, (i, l) => (l === 5 && i < at(0, 14) ? { p: 0.9 } : {}));
    for (let y = 11; y < 14; y++) for (let x = 20; x < 40; x++) expect(r.labels[at(x, y)]).toBe(0);
    expect(r.unlabelled).toBe(60);
    expect((1 - 0.9) / 8).toBeLessThan(ORDER_RULES.minSupport); // NFL's share there is below the support needed
  });

  it('decides a disorder that spans many columns the same way in each (no stripes)', () => {
    const labels = stack();
    // columns 10-49: an INL (3) slab inside the ONL band, rows 36-39; half the columns lean NFL-ish noise
    for (let y = 36; y < 40; y++) for (let x = 10; x < 50; x++) labels[at(x, y)] = 3;
    const r = order(labels, (i, l) => (l === 3 && i >= at(0, 36) && i < at(0, 40) ? { p: 0.55, second: { c: 5, p: 0.35 } } : {}));
    const decided = new Set<number>();
    for (let x = 10; x < 50; x++) decided.add(r.labels[at(x, 37)]!);
    expect([...decided]).toEqual([5]);
  });

  it('takes the lower RPE boundary (BM) from the main band, not from an RPE blob in the choroid', () => {
    const labels = stack();
    for (let y = 60; y < 66; y++) for (let x = 25; x < 35; x++) labels[at(x, y)] = 7;
    const before = layerBoundaries(labels, W, H);
    expect(before.bottom[7]![30]).toBe(66);
    const r = order(labels, (i, l) => (l === 7 && i >= at(0, 60) ? { p: 0.6, second: { c: 8, p: 0.3 } } : {}));
    const after = layerBoundaries(r.labels, W, H);
    expect(after.bottom[7]![30]).toBe(52);
    expect(r.labels[at(30, 62)]).toBe(8);
  });
});
