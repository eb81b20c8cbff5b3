import { AppError } from '../contract/errors';
import { lookupClass, describeDictionary, type ClassDictionary } from './classes';
import { parseJsonFile } from './json';
import type { AnnotatedPolygon, ImageAnnotation } from './vgg';

interface CocoFile {
  images?: { id: number; file_name: string; width?: number; height?: number }[];
  annotations?: { id?: number; image_id: number; category_id: number; segmentation?: unknown; iscrowd?: number }[];
  categories?: { id: number; name: string }[];
}

/** Parses a COCO instances file into per-image polygons (in annotation order), classes via the dictionary. */
export function parseCoco(text: string, source: string, dict: ClassDictionary): ImageAnnotation[] {
  const raw = parseJsonFile(text, source) as CocoFile;
  if (typeof raw !== 'object' || raw === null || !Array.isArray(raw.images) || !Array.isArray(raw.annotations) || !Array.isArray(raw.categories)) {
    throw new AppError('BAD_INPUT', `${source}: not a COCO file (expected images, annotations and categories arrays)`, { file: source });
  }
  if (raw.images.length === 0) throw new AppError('BAD_INPUT', `${source}: the COCO file lists no images`, { file: source });
  const categoryClass = new Map<number, { name: string; index: number | undefined }>();
  for (const c of raw.categories) categoryClass.set(c.id, { name: c.name, index: lookupClass(dict, c.name) });
  const unknown = [...categoryClass.values()].filter((c) => c.index === undefined).map((c) => c.name);
  if (unknown.length > 0) {
    throw new AppError(
      'BAD_INPUT',
      `${source}: unknown categor${unknown.length > 1 ? 'ies' : 'y'} ${unknown.map((n) => `"${n}"`).join(', ')}. Categories found: ${[...categoryClass.values()].map((c) => c.name).join(', ')}. Dictionary in use (${dict.source}): ${describeDictionary(dict)}.`,
      { file: source, unknownLabels: unknown },
    );
  }
  const byImage = new Map<number, AnnotatedPolygon[]>();
  for (const [n, a] of raw.annotations.entries()) {
    const where = `annotation ${a.id ?? n} (image ${a.image_id})`;
    const cat = categoryClass.get(a.category_id);
    if (!cat) throw new AppError('BAD_INPUT', `${source}: ${where} has unknown category_id ${a.category_id}`, { file: source, entry: where });
    if (!Array.isArray(a.segmentation)) {
      throw new AppError('BAD_INPUT', `${source}: ${where} has no polygon segmentation (RLE is not supported)`, { file: source, entry: where });
    }
    const list = byImage.get(a.image_id) ?? [];
    for (const poly of a.segmentation as unknown[]) {
      if (!Array.isArray(poly) || poly.length < 6 || poly.some((v) => typeof v !== 'number')) {
        throw new AppError('BAD_INPUT', `${source}: ${where} has a malformed polygon`, { file: source, entry: where });
      }
      const flat = poly as number[];
      list.push({
        label: cat.name,
        classIndex: cat.index!,
        xs: flat.filter((_, i) => i % 2 === 0),
        ys: flat.filter((_, i) => i % 2 === 1),
        entry: where,
        region: list.length,
      });
    }
    byImage.set(a.image_id, list);
  }
  return raw.images.map((img) => ({ filename: img.file_name, polygons: byImage.get(img.id) ?? [], width: img.width, height: img.height }));
}
