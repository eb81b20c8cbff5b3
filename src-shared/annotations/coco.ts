import { AppError } from '../contract/errors';
import { lookupClass, describeDictionary, type ClassDictionary } from './classes';
import { parseJsonFile, quoted } from './json';
import { ANNOTATION_LIMITS, maskSizeProblem } from './limits';
import { checkPointCount, checkRegionCount, coordinateOutOfRange, type AnnotatedPolygon, type ImageAnnotation } from './vgg';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** COCO ids are numbers (some tools write strings); either way one key per id. */
function idOf(v: unknown): string | undefined {
  return (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v !== '') ? String(v) : undefined;
}

/**
 * Parses a COCO instances file into per-image polygons (in annotation order), classes via the dictionary.
 * Every entry is checked before use: a null or malformed category, image or annotation, a file_name that
 * is not a string, a width or height that is not a whole number of pixels (or too large to rasterise) is
 * BAD_INPUT / TOO_LARGE naming the file and the entry, never a TypeError or a 10^10-byte allocation.
 */
export function parseCoco(text: string, source: string, dict: ClassDictionary): ImageAnnotation[] {
  const raw = parseJsonFile(text, source);
  if (!isRecord(raw) || !Array.isArray(raw.images) || !Array.isArray(raw.annotations) || !Array.isArray(raw.categories)) {
    throw new AppError('BAD_INPUT', `${source}: not a COCO file (expected images, annotations and categories arrays)`, { file: source });
  }
  if (raw.images.length === 0) throw new AppError('BAD_INPUT', `${source}: the COCO file lists no images`, { file: source });
  const bad = (entry: string, problem: string) => new AppError('BAD_INPUT', `${source}: ${entry} ${problem}`, { file: source, entry });

  const categoryClass = new Map<string, { name: string; index: number | undefined }>();
  for (const [n, c] of raw.categories.entries()) {
    const id = isRecord(c) ? idOf(c.id) : undefined;
    if (!isRecord(c) || id === undefined || typeof c.name !== 'string') throw bad(`category ${n}`, 'is not {"id": ..., "name": "..."}');
    categoryClass.set(id, { name: c.name, index: lookupClass(dict, c.name) });
  }
  const unknown = [...categoryClass.values()].filter((c) => c.index === undefined).map((c) => quoted(c.name, 40));
  if (unknown.length > 0) {
    throw new AppError(
      'BAD_INPUT',
      `${source}: unknown categor${unknown.length > 1 ? 'ies' : 'y'} ${unknown.slice(0, 20).join(', ')}. Categories found: ${[...categoryClass.values()].slice(0, 40).map((c) => quoted(c.name, 40).slice(1, -1)).join(', ')}. Dictionary in use (${dict.source}): ${describeDictionary(dict)}.`,
      { file: source, unknownLabels: unknown },
    );
  }

  const images = raw.images.map((img, n) => {
    const id = isRecord(img) ? idOf(img.id) : undefined;
    if (!isRecord(img) || id === undefined) throw bad(`image ${n}`, 'is not {"id": ..., "file_name": "..."}');
    const where = `image ${id}`;
    if (typeof img.file_name !== 'string' || img.file_name === '') throw bad(where, `has file_name ${quoted(img.file_name ?? null, 20)}; it must be a file name (a string)`);
    const named = `${where} (${quoted(img.file_name)})`;
    if ((img.width === undefined) !== (img.height === undefined)) throw bad(named, 'gives only one of width and height');
    if (img.width !== undefined) {
      const problem = maskSizeProblem(img.width as number, img.height as number);
      if (problem) {
        const tooBig = typeof img.width === 'number' && typeof img.height === 'number' && Number.isInteger(img.width) && Number.isInteger(img.height) && img.width > 0 && img.height > 0;
        throw new AppError(tooBig ? 'TOO_LARGE' : 'BAD_INPUT', `${source}: ${named}: width x height ${problem}`, { file: source, entry: where });
      }
    }
    return { id, filename: img.file_name, width: img.width as number | undefined, height: img.height as number | undefined };
  });

  checkRegionCount(source, raw.annotations.length, 'the file', ANNOTATION_LIMITS.maxRegionsPerFile);
  const byImage = new Map<string, AnnotatedPolygon[]>();
  for (const [n, a] of raw.annotations.entries()) {
    if (!isRecord(a)) throw bad(`annotation ${n}`, 'is not an object');
    const imageId = idOf(a.image_id);
    const where = `annotation ${idOf(a.id) ?? n} (image ${imageId ?? '?'})`;
    if (imageId === undefined) throw bad(where, 'has no image_id');
    const cat = categoryClass.get(idOf(a.category_id) ?? '');
    if (!cat) throw bad(where, `has unknown category_id ${quoted(a.category_id ?? null, 20)}`);
    if (!Array.isArray(a.segmentation)) throw bad(where, 'has no polygon segmentation (RLE is not supported)');
    const list = byImage.get(imageId) ?? [];
    checkRegionCount(source, list.length + a.segmentation.length, `image ${imageId}`, ANNOTATION_LIMITS.maxRegionsPerImage, `image ${imageId}`);
    for (const poly of a.segmentation as unknown[]) {
      if (Array.isArray(poly)) checkPointCount(source, where, Math.floor(poly.length / 2));
      if (!Array.isArray(poly) || poly.length < 6 || poly.length % 2 !== 0 || poly.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
        throw bad(where, 'has a malformed polygon (a flat list of at least 3 x,y number pairs)');
      }
      const flat = poly as number[];
      const xs = flat.filter((_, i) => i % 2 === 0);
      const ys = flat.filter((_, i) => i % 2 === 1);
      const wild = coordinateOutOfRange(xs, ys);
      if (wild !== undefined) throw bad(where, `has coordinate ${wild}, beyond the +-${ANNOTATION_LIMITS.maxCoordinate} px any image allows`);
      list.push({ label: cat.name, classIndex: cat.index!, xs, ys, entry: where, region: list.length });
    }
    byImage.set(imageId, list);
  }
  return images.map((img) => ({ filename: img.filename, polygons: byImage.get(img.id) ?? [], width: img.width, height: img.height }));
}
