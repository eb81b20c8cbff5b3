import { AppError } from '../contract/errors';
import { CLASS_COUNT, LAYERS, type LayerKey } from '../domain/layers';
import { layerBoundaries, layerThicknessPx } from './segmentation';

/**
 * Segmentation metrics against a reference label map (canonical classes 0-8). Accumulated over many
 * images: IoU and Dice from summed confusion counts (dataset-level, the usual convention), boundary and
 * thickness errors as means over all columns where both maps have the layer.
 */
export interface LayerScore {
  layer: LayerKey;
  iou: number | null;
  dice: number | null;
  /** Mean absolute error of the layer's upper boundary, pixels. */
  boundaryErrorPx: number | null;
  /** Mean absolute error of the layer's thickness, pixels. */
  thicknessErrorPx: number | null;
  /** Same in micrometres when an axial scale is known. */
  boundaryErrorUm: number | null;
  thicknessErrorUm: number | null;
}

export interface EvaluationResult {
  images: number;
  layers: LayerScore[];
  /** Mean over the layers with a defined IoU (background excluded). */
  meanIoU: number | null;
  meanDice: number | null;
  backgroundIoU: number | null;
  pixelAccuracy: number;
}

export class EvaluationAccumulator {
  private readonly intersection = new Float64Array(CLASS_COUNT);
  private readonly predicted = new Float64Array(CLASS_COUNT);
  private readonly reference = new Float64Array(CLASS_COUNT);
  private correct = 0;
  private total = 0;
  private images = 0;
  private readonly boundary = LAYERS.map(() => ({ sumPx: 0, sumUm: 0, nUm: 0, n: 0 }));
  private readonly thickness = LAYERS.map(() => ({ sumPx: 0, sumUm: 0, nUm: 0, n: 0 }));

  add(predictedLabels: Uint8Array, referenceLabels: Uint8Array, width: number, height: number, axialUmPerPx: number | null = null): void {
    if (predictedLabels.length !== referenceLabels.length || predictedLabels.length !== width * height) {
      throw new AppError(
        'BAD_INPUT',
        `Prediction and reference differ in size: ${predictedLabels.length} and ${referenceLabels.length} pixels for a ${width}x${height} image (${width * height}).`,
        { predictedPixels: predictedLabels.length, referencePixels: referenceLabels.length, width, height },
      );
    }
    this.images++;
    for (let i = 0; i < predictedLabels.length; i++) {
      const p = predictedLabels[i]!;
      const r = referenceLabels[i]!;
      this.predicted[p]!++;
      this.reference[r]!++;
      if (p === r) {
        this.intersection[p]!++;
        this.correct++;
      }
    }
    this.total += predictedLabels.length;

    const bp = layerBoundaries(predictedLabels, width, height);
    const br = layerBoundaries(referenceLabels, width, height);
    for (const layer of LAYERS) {
      const c = layer.index;
      const tp = layerThicknessPx(bp, c);
      const tr = layerThicknessPx(br, c);
      const b = this.boundary[c - 1]!;
      const t = this.thickness[c - 1]!;
      for (let x = 0; x < width; x++) {
        const top1 = bp.top[c]![x]!;
        const top2 = br.top[c]![x]!;
        if (top1 < 0 || top2 < 0) continue;
        const db = Math.abs(top1 - top2);
        const dt = Math.abs((tp[x] ?? 0) - (tr[x] ?? 0));
        b.sumPx += db;
        b.n++;
        t.sumPx += dt;
        t.n++;
        if (axialUmPerPx !== null) {
          b.sumUm += db * axialUmPerPx;
          b.nUm++;
          t.sumUm += dt * axialUmPerPx;
          t.nUm++;
        }
      }
    }
  }

  /** `onlyLayers`: score just these classes (e.g. the labels a second annotator actually used). */
  result(onlyLayers?: ReadonlySet<number>): EvaluationResult {
    const iouOf = (c: number) => {
      const union = this.predicted[c]! + this.reference[c]! - this.intersection[c]!;
      return union === 0 ? null : this.intersection[c]! / union;
    };
    const diceOf = (c: number) => {
      const sum = this.predicted[c]! + this.reference[c]!;
      return sum === 0 ? null : (2 * this.intersection[c]!) / sum;
    };
    const mean = (values: (number | null)[]) => {
      const v = values.filter((x): x is number => x !== null);
      return v.length === 0 ? null : v.reduce((a, b) => a + b, 0) / v.length;
    };
    const layers: LayerScore[] = LAYERS.map((layer) => {
      const b = this.boundary[layer.index - 1]!;
      const t = this.thickness[layer.index - 1]!;
      // A layer the reference never contains (e.g. a second annotator who drew no choroid) is not scored.
      const scored = this.reference[layer.index]! > 0 && (onlyLayers?.has(layer.index) ?? true);
      return {
        layer: layer.key,
        iou: scored ? iouOf(layer.index) : null,
        dice: scored ? diceOf(layer.index) : null,
        boundaryErrorPx: b.n ? b.sumPx / b.n : null,
        thicknessErrorPx: t.n ? t.sumPx / t.n : null,
        boundaryErrorUm: b.nUm ? b.sumUm / b.nUm : null,
        thicknessErrorUm: t.nUm ? t.sumUm / t.nUm : null,
      };
    });
    return {
      images: this.images,
      layers,
      meanIoU: mean(layers.map((l) => l.iou)),
      meanDice: mean(layers.map((l) => l.dice)),
      backgroundIoU: iouOf(0),
      pixelAccuracy: this.total ? this.correct / this.total : 0,
    };
  }
}
