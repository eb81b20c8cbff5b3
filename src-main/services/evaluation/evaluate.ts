import { existsSync, readdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { AppError } from '../../../src-shared/contract';
import { EvaluationAccumulator, type EvaluationResult } from '../../../src-shared/analysis/evaluation';
import { builtInClassDictionary, parseClassDictionary } from '../../../src-shared/annotations/classes';
import { parseVgg, rasterizeAnnotation, type ImageAnnotation } from '../../../src-shared/annotations/vgg';
import { readVggWithCorrections } from '../conversion/annotations-to-masks';
import { readTextFile, requireDir } from '../conversion/files';
import { readMaskFile } from '../conversion/mask-io';
import { scaleOfFile } from '../segmentation/scan-scale';
import { checkPixelBudget } from '../import/pixel-budget';
import type { SegmentationService } from '../segmentation/segmentation-service';

export interface EvaluateOptions {
  imagesDir: string;
  /** Reference labels: a VGG JSON file or a folder of `<stem>.png` class-index masks. */
  referenceVgg?: string;
  referenceMasks?: string;
  /** Compare a second annotation file against the reference instead of the model (inter-rater agreement). */
  againstVgg?: string;
  classesFile?: string;
  /** A reviewed label-corrections file for the reference VGG file (docs/ANNOTATIONS.md). */
  referenceCorrections?: string;
  /** Only images whose file name matches. */
  include?: RegExp;
}

export interface EvaluationReport extends EvaluationResult {
  predictor: string;
  reference: string;
  imageNames: string[];
  scaleNote: string;
  /** Images that could not be scored (too large, unreadable, not a regular file, ...), with the reason; the rest were. */
  failed: { image: string; error: string }[];
}

type LabelSource = (name: string, width: number, height: number) => Promise<Uint8Array | null>;

/**
 * Scores label maps against a reference. The model side runs the shipped ONNX model through the app's
 * own engine and post-processing (order repair included): what ships is what is measured.
 */
export async function evaluate(options: EvaluateOptions, segmentation: SegmentationService | null): Promise<EvaluationReport> {
  const dict = options.classesFile ? parseClassDictionary(readTextFile(options.classesFile, 'class file'), options.classesFile) : builtInClassDictionary();
  const reference = referenceSource(options, dict);
  const names = imageNames(options.imagesDir).filter((n) => (options.include ? options.include.test(n) : true));
  let predictor: string;
  let scoredLayers: Set<number> | undefined;
  let predict: (path: string, name: string, w: number, h: number) => Promise<Uint8Array | null>;
  if (options.againstVgg) {
    const other = vggSource(options.againstVgg, dict);
    predictor = `annotations ${options.againstVgg}`;
    // A second annotator who never drew a layer (no choroid, say) is not scored on it.
    scoredLayers = labelsUsed(options.againstVgg, dict);
    predict = (_path, name, w, h) => other(name, w, h);
  } else {
    if (!segmentation) throw new AppError('MODEL_UNAVAILABLE', 'No segmentation engine for evaluation');
    const status = await segmentation.load();
    predictor = `${status.model?.id ?? '?'} ${status.model?.version ?? ''} (${status.engine}/${status.executionProvider ?? 'cpu'}${status.precision === 'int8' ? ' int8' : ''})`;
    predict = async (path) => (await segmentation.segmentImage(path)).labels;
  }

  const acc = new EvaluationAccumulator();
  const used: string[] = [];
  const failed: EvaluationReport['failed'] = [];
  let scaleNote = 'px only: scale unknown';
  for (const name of names) {
    const path = join(options.imagesDir, name);
    try {
      const { width, height } = await checkPixelBudget(path); // TOO_LARGE from the header, before any decode
      if (!width || !height) continue;
      const ref = await reference(name, width, height);
      if (!ref) continue;
      const pred = await predict(path, name, width, height);
      if (!pred) continue;
      const scale = scaleOfFile(name, width, height);
      if (scale.axialUmPerPx !== null) scaleNote = `um from ${scale.provenance}: ${scale.source ?? ''} (${scale.axialUmPerPx} um/px axial)`;
      acc.add(pred, ref, width, height, scale.axialUmPerPx);
      used.push(name);
    } catch (error) {
      // One bad image is named and skipped; a missing model or a cancel ends the whole run.
      if (error instanceof AppError && (error.code === 'MODEL_UNAVAILABLE' || error.code === 'CANCELLED')) throw error;
      const message = (error as Error).message;
      const code = error instanceof AppError ? ` [${error.code}]` : '';
      failed.push({ image: name, error: `${message.includes(name) ? message : `${path}: ${message}`}${code}` });
    }
  }
  if (used.length === 0) {
    const why = failed.length ? `; ${failed.length} failed, first: ${failed[0]!.error}` : '';
    throw new AppError('BAD_INPUT', `No image in ${options.imagesDir} has both a reference and a prediction${why}`, { failed });
  }
  const referenceName = options.referenceVgg ?? options.referenceMasks ?? '';
  return {
    ...acc.result(scoredLayers),
    predictor,
    reference: options.referenceCorrections ? `${referenceName} + corrections ${options.referenceCorrections}` : referenceName,
    imageNames: used,
    scaleNote,
    failed,
  };
}

function referenceSource(options: EvaluateOptions, dict: ReturnType<typeof builtInClassDictionary>): LabelSource {
  if (options.referenceVgg) return vggSource(options.referenceVgg, dict, options.referenceCorrections);
  if (options.referenceMasks) {
    const dir = options.referenceMasks;
    return async (name, width, height) => {
      const file = join(dir, `${basename(name, extname(name))}.png`);
      if (!existsSync(file)) return null;
      const mask = await readMaskFile(file);
      if (mask.width !== width || mask.height !== height) throw new AppError('BAD_INPUT', `${file}: mask is ${mask.width}x${mask.height}, image is ${width}x${height}`);
      return mask.data;
    };
  }
  throw new AppError('VALIDATION', 'Give the reference labels: --vgg FILE or --masks DIR');
}

function vggSource(file: string, dict: ReturnType<typeof builtInClassDictionary>, correctionsFile?: string): LabelSource {
  if (!existsSync(file)) throw new AppError('BAD_INPUT', `${file}: no such annotation file`);
  const byName = new Map<string, ImageAnnotation>();
  for (const a of readVggWithCorrections(file, dict, correctionsFile).annotations) byName.set(a.filename, a);
  return async (name, width, height) => {
    const ann = byName.get(name);
    return ann ? new Uint8Array(rasterizeAnnotation(ann, width, height).mask.data) : null;
  };
}

function labelsUsed(file: string, dict: ReturnType<typeof builtInClassDictionary>): Set<number> {
  return new Set(parseVgg(readTextFile(file, 'annotation file'), file, dict).flatMap((a) => a.polygons.map((p) => p.classIndex)));
}

function imageNames(dir: string): string[] {
  requireDir(dir, 'images');
  return readdirSync(dir)
    .filter((f) => /\.(jpe?g|png|tiff?|bmp)$/i.test(f))
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}
