/**
 * Label corrections: a reviewed list of single-region relabels for one annotation file, pinned to that
 * file by its SHA-256 so it can never apply to other labels. Written by `stratum convert vgg
 * --propose-corrections` (from the layer-order audit), read by the converter, `stratum evaluate` and the
 * training pipeline (training/label-corrections/). The annotation file itself is never edited.
 */
import { z } from 'zod';
import { AppError } from '../contract/errors';
import { layerByIndex } from '../domain/layers';
import type { ClassDictionary } from './classes';
import { lookupClass } from './classes';
import type { LabelProposal } from './layer-order-audit';
import { parseJsonFile, quoted } from './json';
import type { ImageAnnotation } from './vgg';

export const labelCorrectionsSchema = z.object({
  source: z.object({ file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  generatedBy: z.string().optional(),
  corrections: z.array(
    z.object({ file: z.string().min(1), region: z.number().int().min(0), from: z.string().min(1), to: z.string().min(1), reason: z.string().optional() }),
  ),
});
export type LabelCorrections = z.infer<typeof labelCorrectionsSchema>;

export function parseLabelCorrections(text: string, source: string): LabelCorrections {
  const parsed = labelCorrectionsSchema.safeParse(parseJsonFile(text, source));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError('BAD_INPUT', `${source}: not a label-corrections file (${issue.path.join('.') || 'root'}: ${issue.message})`, { file: source });
  }
  return parsed.data;
}

export function buildLabelCorrections(labelsFile: string, sha256: string, proposals: readonly LabelProposal[]): LabelCorrections {
  return {
    source: { file: labelsFile, sha256 },
    generatedBy: 'stratum convert vgg --propose-corrections (anatomical layer order); review before use',
    corrections: proposals.map((p) => ({ file: p.file, region: p.region, from: p.from, to: p.to, reason: p.reason })),
  };
}

/**
 * Applies corrections to parsed annotations (returns new objects). Each correction must find its image,
 * its region and the label it expects, else BAD_INPUT names it: a stale file fails loudly.
 */
export function applyLabelCorrections(
  annotations: readonly ImageAnnotation[],
  corrections: LabelCorrections,
  labelsSha256: string,
  dict: ClassDictionary,
  source: string,
): ImageAnnotation[] {
  if (corrections.source.sha256 !== labelsSha256) {
    throw new AppError('BAD_INPUT', `${source}: written for a different annotation file (${corrections.source.file}, sha256 ${corrections.source.sha256.slice(0, 12)}...); this one is ${labelsSha256.slice(0, 12)}...`, { file: source });
  }
  const byImage = new Map(annotations.map((a) => [a.filename, a]));
  const relabel = new Map<string, Map<number, number>>();
  for (const c of corrections.corrections) {
    const where = `${quoted(c.file)} region ${c.region}`;
    const ann = byImage.get(c.file);
    const polygon = ann?.polygons.find((p) => p.region === c.region);
    if (!polygon) throw new AppError('BAD_INPUT', `${source}: correction for ${where}: no such region in the annotations`, { file: source, entry: where });
    const from = lookupClass(dict, c.from);
    const to = lookupClass(dict, c.to);
    if (from === undefined || to === undefined) throw new AppError('BAD_INPUT', `${source}: correction for ${where}: unknown label ${quoted(from === undefined ? c.from : c.to, 40)}`, { file: source, entry: where });
    if (polygon.classIndex !== from) {
      throw new AppError('BAD_INPUT', `${source}: correction for ${where} expects ${c.from}, the annotation says ${polygon.label}`, { file: source, entry: where });
    }
    const perImage = relabel.get(c.file) ?? new Map<number, number>();
    perImage.set(c.region, to);
    relabel.set(c.file, perImage);
  }
  return annotations.map((a) => {
    const perImage = relabel.get(a.filename);
    if (!perImage) return a;
    return {
      ...a,
      polygons: a.polygons.map((p) => {
        const to = perImage.get(p.region);
        return to === undefined ? p : { ...p, classIndex: to, label: `${layerByIndex(to)?.key ?? to} (annotated ${p.label})` };
      }),
    };
  });
}
