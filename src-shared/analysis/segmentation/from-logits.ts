/**
 * Stages 1-2 put together: from one image's logits to the label map the rest of the analysis measures,
 * and the network's own doubt about it. Argmax -> islands (2D) -> order from the probabilities; the
 * entropy inside the retina band and, when the network also ran on the mirrored image, how much its
 * answer changed.
 */
import { argmaxLabels, argmaxLogits } from './argmax';
import { findIslands } from './islands';
import { orderWithProbabilities } from './layer-order';
import type { NetworkMeasures } from './quality';
import { bandEntropy, flipDisagreement, retinaBand } from './uncertainty';

export interface LogitsView {
  /** [C][tensorHeight][tensorWidth] from `offset`. */
  logits: Float32Array;
  offset: number;
}

export interface FromLogitsInput extends LogitsView {
  classMap: readonly number[];
  tensorWidth: number;
  tensorHeight: number;
  /** The region that is the image: the top-left width x height of the tensor. */
  width: number;
  height: number;
  /**
   * The argmax labels (mirroredArgmax) of the network's output for the image mirrored left-right within
   * that region (padding kept right), still mirrored: the flip check. null: not run.
   */
  mirrored?: Uint8Array | null;
  /** false: argmax only (a surface model decodes its layers from its boundary rows instead). */
  order?: boolean;
}

export interface FromLogitsResult {
  /** Ordered labels (or the argmax, when `order` is false). */
  labels: Uint8Array;
  /** The argmax before any change. */
  argmax: Uint8Array;
  confidence: Float32Array;
  orderRepair: { columns: number; pixels: number; unlabelled: number; islandPixels: number };
  network: NetworkMeasures;
}

/** The argmax labels of the mirrored image's output over the same region (for `mirrored`). */
export function mirroredArgmax(view: LogitsView, input: Pick<FromLogitsInput, 'classMap' | 'tensorWidth' | 'tensorHeight' | 'width' | 'height'>): Uint8Array {
  return argmaxLabels(view.logits, input.classMap, input.tensorHeight, input.tensorWidth, input.height, input.width, view.offset);
}

export function labelsFromLogits(input: FromLogitsInput): FromLogitsResult {
  const { logits, offset, classMap, tensorWidth, tensorHeight, width, height } = input;
  const a = argmaxLogits(logits, classMap, tensorHeight, tensorWidth, height, width, offset);
  const rawBand = retinaBand(a.labels, width, height);
  let mirrored: number | null = null;
  if (input.mirrored) mirrored = flipDisagreement(a.labels, input.mirrored, rawBand, width);
  const network: NetworkMeasures = { bandEntropy: bandEntropy(a.entropy, rawBand, width), flipDisagreement: mirrored };
  if (input.order === false) {
    return { labels: a.labels, argmax: a.labels, confidence: a.confidence, orderRepair: { columns: 0, pixels: 0, unlabelled: 0, islandPixels: 0 }, network };
  }
  const islands = findIslands(a.labels, width, height);
  const ordered = orderWithProbabilities({ logits, offset, tensorWidth, tensorHeight, classMap, width, height, labels: a.labels, islands: islands.mask });
  return {
    labels: ordered.labels,
    argmax: a.labels,
    confidence: a.confidence,
    orderRepair: { columns: ordered.columns, pixels: ordered.pixels, unlabelled: ordered.unlabelled, islandPixels: islands.pixels },
    network,
  };
}
