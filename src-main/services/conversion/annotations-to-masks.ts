import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { AppError } from '../../../src-shared/contract';
import type { ClassDictionary } from '../../../src-shared/annotations/classes';
import { parseCoco } from '../../../src-shared/annotations/coco';
import { agreement } from '../../../src-shared/annotations/rasterize';
import { auditLayerOrder } from '../../../src-shared/annotations/layer-order-audit';
import { applyLabelCorrections, buildLabelCorrections, parseLabelCorrections } from '../../../src-shared/annotations/label-corrections';
import type { ConversionReport, ImageConversionReport } from '../../../src-shared/annotations/report';
import { parseVgg, rasterizeAnnotation, type ImageAnnotation } from '../../../src-shared/annotations/vgg';
import { checkOutputFile, prepareOutputDir, writeFileAtomic } from '../files/atomic-write';
import { findImage, listImages, loadClassDictionary, readTextFile, requireDir, stemOf } from './files';
import { imageSize, readMaskFile, writeMaskPng } from './mask-io';
import { writePreview } from './preview';
import type { MaskAttacher } from './catalog-attach';

export type Progress = (fraction: number | null, stage: string, detail?: string) => Promise<void>;
const noProgress: Progress = async () => undefined;

export interface MaskOutputOptions {
  imagesDir: string;
  /** Where masks go; omit to validate only. */
  outDir?: string;
  preview?: boolean;
  /** A folder of reference class-index masks (`<stem>.png`) to measure agreement against. */
  compareDir?: string;
  /** Attach each mask to the catalog scan of the same image as a manual ("ground truth") segmentation. */
  attach?: MaskAttacher;
}

/** The report entry of an image whose conversion failed; the others still convert. */
function failedImage(ann: ImageAnnotation, error: unknown): ImageConversionReport {
  return { image: ann.filename, polygons: ann.polygons.length, classesPresent: [], classesMissing: [], overlaps: [], outside: [], layerOrder: [], imageMissing: false, error: (error as Error).message };
}

/** Rasterises parsed annotations into `<stem>.png` class-index masks, with previews and a validation report. */
export async function annotationsToMasks(
  annotations: readonly ImageAnnotation[],
  sources: string[],
  dict: ClassDictionary,
  options: MaskOutputOptions,
  progress: Progress = noProgress,
): Promise<ConversionReport> {
  requireDir(options.imagesDir, 'images');
  if (options.compareDir) requireDir(options.compareDir, 'reference masks');
  if (options.outDir) prepareOutputDir(options.outDir, 'masks');
  const previewDir = options.outDir && options.preview ? join(options.outDir, 'preview') : undefined;
  if (previewDir) prepareOutputDir(previewDir, 'preview');
  const available = listImages(options.imagesDir);
  const used = new Set<string>();
  const images: ImageConversionReport[] = [];
  const agreements: number[] = [];
  for (const [n, ann] of annotations.entries()) {
    await progress(n / annotations.length, 'Converting', ann.filename);
    const file = findImage(options.imagesDir, ann.filename, available);
    if (file) used.add(file);
    try {
      const converted = await convertOne(ann, file, options, previewDir);
      if (converted.agreement !== undefined) agreements.push(converted.agreement);
      images.push(converted);
    } catch (error) {
      if (error instanceof AppError && error.code === 'CANCELLED') throw error;
      images.push(failedImage(ann, error));
    }
  }
  await progress(1, 'Done');
  return {
    source: sources,
    outDir: options.outDir ?? '',
    dictionary: dict.source,
    images,
    masksWritten: images.filter((i) => i.mask).length,
    imagesMissing: images.filter((i) => i.imageMissing).map((i) => i.image),
    imagesWithoutAnnotation: available.filter((f) => !used.has(f)),
    imagesFailed: images.filter((i) => i.error).length,
    ...(agreements.length > 0 ? { agreement: summarise(agreements) } : {}),
  };
}

/** One image: its size (from the file, else from the annotation), the mask, preview, agreement, catalog. */
async function convertOne(ann: ImageAnnotation, file: string | undefined, options: MaskOutputOptions, previewDir: string | undefined): Promise<ImageConversionReport> {
  const size = file ? await imageSize(join(options.imagesDir, file)) : ann.width && ann.height ? { width: ann.width, height: ann.height } : undefined;
  if (!size) {
    return { image: ann.filename, polygons: ann.polygons.length, classesPresent: [], classesMissing: [], overlaps: [], outside: [], layerOrder: auditLayerOrder(ann), imageMissing: true };
  }
  const r = rasterizeAnnotation(ann, size.width, size.height);
  const stem = stemOf(ann.filename);
  let mask: string | undefined;
  let preview: string | undefined;
  if (options.outDir) {
    mask = join(options.outDir, `${stem}.png`);
    await writeMaskPng(mask, r.mask);
    if (previewDir && file) {
      preview = join(previewDir, `${stem}.png`);
      await writePreview(join(options.imagesDir, file), r.mask, preview);
    }
  }
  let agree: number | undefined;
  const refPath = options.compareDir ? join(options.compareDir, `${stem}.png`) : undefined;
  if (refPath && existsSync(refPath)) {
    const ref = await readMaskFile(refPath);
    agree = ref.width === size.width && ref.height === size.height ? agreement(r.mask.data, ref.data) : 0;
  }
  const catalog = options.attach && file ? await options.attach(join(options.imagesDir, file), r.mask) : undefined;
  return {
    image: ann.filename,
    mask,
    preview,
    width: size.width,
    height: size.height,
    polygons: ann.polygons.length,
    classesPresent: r.present,
    classesMissing: r.missing,
    overlaps: r.overlaps,
    outside: r.outside,
    layerOrder: auditLayerOrder(ann),
    imageMissing: !file,
    ...(agree === undefined ? {} : { agreement: agree }),
    ...(catalog ? { catalog } : {}),
  };
}

export function summarise(values: readonly number[]): { min: number; mean: number; compared: number } {
  return { min: Math.min(...values), mean: values.reduce((s, v) => s + v, 0) / values.length, compared: values.length };
}

export interface VggConvertOptions extends MaskOutputOptions {
  labelsPath: string;
  classesPath?: string;
  /** A reviewed label-corrections file for this labels file (docs/ANNOTATIONS.md). */
  correctionsPath?: string;
  /** Write the layer-order audit's proposed relabels here, as a corrections file to review. */
  proposeCorrectionsPath?: string;
  /** Replace an existing proposed-corrections file (default true; the CLI asks for --force). */
  overwrite?: boolean;
}

/** VGG/VIA JSON (makesense.ai) -> class-index masks, with the layer-order audit and optional corrections. */
export async function convertVgg(options: VggConvertOptions, progress?: Progress): Promise<ConversionReport> {
  if (options.proposeCorrectionsPath) checkOutputFile(options.proposeCorrectionsPath, 'proposed corrections', { overwrite: options.overwrite ?? true, overwriteHint: '--force' });
  const dict = loadClassDictionary(options.classesPath);
  const { annotations, corrections } = readVggWithCorrections(options.labelsPath, dict, options.correctionsPath);
  const report = await annotationsToMasks(annotations, [options.labelsPath], dict, options, progress);
  let proposed: ConversionReport['proposedCorrections'];
  if (options.proposeCorrectionsPath) {
    const proposals = report.images.flatMap((i) => i.layerOrder.flatMap((f) => (f.proposal ? [f.proposal] : [])));
    const doc = buildLabelCorrections(options.labelsPath, sha256(readTextFile(options.labelsPath, 'annotation file')), proposals);
    writeFileAtomic(options.proposeCorrectionsPath, `${JSON.stringify(doc, null, 2)}\n`);
    proposed = { file: options.proposeCorrectionsPath, count: proposals.length };
  }
  return { ...report, ...(corrections ? { corrections } : {}), ...(proposed ? { proposedCorrections: proposed } : {}) };
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Parses a VGG file and applies a corrections file to it when one is given (checked against the file's hash). */
export function readVggWithCorrections(
  labelsPath: string,
  dict: ClassDictionary,
  correctionsPath?: string,
): { annotations: ImageAnnotation[]; corrections?: { file: string; applied: number } } {
  const text = readTextFile(labelsPath, 'annotation file');
  const annotations = parseVgg(text, labelsPath, dict);
  if (!correctionsPath) return { annotations };
  const doc = parseLabelCorrections(readTextFile(correctionsPath, 'corrections file'), correctionsPath);
  return {
    annotations: applyLabelCorrections(annotations, doc, sha256(text), dict, correctionsPath),
    corrections: { file: correctionsPath, applied: doc.corrections.length },
  };
}

export interface CocoConvertOptions extends MaskOutputOptions {
  cocoPaths: string[];
  classesPath?: string;
}

/** COCO instance files -> class-index masks (annotations painted in file order). */
export async function convertCoco(options: CocoConvertOptions, progress?: Progress): Promise<ConversionReport> {
  if (options.cocoPaths.length === 0) throw new AppError('VALIDATION', 'convert coco: no COCO file given');
  const dict = loadClassDictionary(options.classesPath);
  // A broken file is refused with its reason and the other files still convert; all broken: the first error.
  const annotations: ImageAnnotation[] = [];
  const filesRefused: { file: string; error: string }[] = [];
  let firstError: unknown;
  for (const path of options.cocoPaths) {
    try {
      annotations.push(...parseCoco(readTextFile(path, 'COCO file'), path, dict));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      firstError ??= error;
      filesRefused.push({ file: path, error: error.message });
    }
  }
  if (filesRefused.length === options.cocoPaths.length) throw firstError;
  const report = await annotationsToMasks(annotations, options.cocoPaths, dict, options, progress);
  return filesRefused.length > 0 ? { ...report, filesRefused } : report;
}
