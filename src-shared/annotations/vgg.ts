import { AppError } from '../contract/errors';
import { CLASS_COUNT, LAYERS } from '../domain/layers';
import { describeDictionary, lookupClass, type ClassDictionary } from './classes';
import { createMask, fillPolygon, type MaskBuffer } from './rasterize';
import { parseJsonFile, quoted } from './json';
import { ANNOTATION_LIMITS, maskSizeProblem } from './limits';

/** One polygon of an annotation, with its class resolved. */
export interface AnnotatedPolygon {
  readonly label: string;
  readonly classIndex: number;
  readonly xs: readonly number[];
  readonly ys: readonly number[];
  /** Where it came from, for messages: `"NORMAL1.jpeg" region 3`. */
  readonly entry: string;
  /** Position in the image's region (or annotation) list, counted from 0: how label corrections name it. */
  readonly region: number;
}

/** All polygons of one image, in file order. */
export interface ImageAnnotation {
  readonly filename: string;
  readonly polygons: readonly AnnotatedPolygon[];
  /** Size if the file says it (COCO does, VGG does not). */
  readonly width?: number;
  readonly height?: number;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function numberList(v: unknown): number[] | undefined {
  return Array.isArray(v) && v.every((n) => typeof n === 'number' && Number.isFinite(n)) ? (v as number[]) : undefined;
}

/** The first coordinate no image can have (|v| beyond ANNOTATION_LIMITS.maxCoordinate), if any. */
export function coordinateOutOfRange(...lists: readonly (readonly number[])[]): number | undefined {
  for (const list of lists) for (const v of list) if (Math.abs(v) > ANNOTATION_LIMITS.maxCoordinate) return v;
  return undefined;
}

/** Refuses an image entry or a file with more regions than any real annotation has. */
export function checkRegionCount(source: string, count: number, per: string, max: number, entry?: string): void {
  if (count > max) {
    throw new AppError('TOO_LARGE', `${source}: ${per} has ${count} regions, more than the ${max} accepted`, { file: source, ...(entry ? { entry } : {}), regions: count, max });
  }
}

/** Refuses a polygon with more points than any real one, before its points are even looked at. */
export function checkPointCount(source: string, where: string, count: number): void {
  const max = ANNOTATION_LIMITS.maxPointsPerPolygon;
  if (count > max) throw new AppError('TOO_LARGE', `${source}: ${where} has ${count} points, more than the ${max} accepted per polygon`, { file: source, entry: where, points: count, max });
}

/**
 * Parses a VGG/VIA JSON export (makesense.ai): keyed by file name (VIA 1.x) or a VIA 2 project with
 * `_via_img_metadata`; `regions` an object keyed "0", "1", ... or an array. Throws BAD_INPUT naming the
 * file and the entry for an empty export, a region without points, an unknown label.
 */
export function parseVgg(text: string, source: string, dict: ClassDictionary): ImageAnnotation[] {
  let raw = parseJsonFile(text, source);
  if (isRecord(raw) && isRecord(raw._via_img_metadata)) raw = raw._via_img_metadata;
  if (!isRecord(raw)) throw new AppError('BAD_INPUT', `${source}: expected a VGG/VIA JSON object keyed by image, found ${Array.isArray(raw) ? 'an array' : typeof raw}`, { file: source });
  const keys = Object.keys(raw);
  if (keys.length === 0) {
    throw new AppError('BAD_INPUT', `${source}: the export is empty ({}); makesense.ai sometimes writes this when no image was annotated. Export again from the project.`, { file: source });
  }
  const images: ImageAnnotation[] = [];
  const unknown = new Map<string, string>();
  const found = new Set<string>();
  let regionsInFile = 0;
  for (const key of keys) {
    const entry = raw[key];
    if (!isRecord(entry)) throw new AppError('BAD_INPUT', `${source}: entry ${quoted(key)} is not an object`, { file: source, entry: key });
    const filename = typeof entry.filename === 'string' && entry.filename !== '' ? entry.filename : key;
    const regionsRaw = entry.regions ?? [];
    const regionCount = Array.isArray(regionsRaw) ? regionsRaw.length : isRecord(regionsRaw) ? Object.keys(regionsRaw).length : 0;
    checkRegionCount(source, regionCount, quoted(filename), ANNOTATION_LIMITS.maxRegionsPerImage, filename);
    regionsInFile += regionCount;
    checkRegionCount(source, regionsInFile, 'the file', ANNOTATION_LIMITS.maxRegionsPerFile);
    const regions: [string, unknown][] = Array.isArray(regionsRaw)
      ? regionsRaw.map((r, i) => [String(i), r])
      : isRecord(regionsRaw)
        ? Object.entries(regionsRaw).sort((a, b) => Number(a[0]) - Number(b[0]))
        : [];
    if (!Array.isArray(regionsRaw) && !isRecord(regionsRaw)) {
      throw new AppError('BAD_INPUT', `${source}: ${quoted(filename)}: regions must be an object or an array`, { file: source, entry: filename });
    }
    const polygons: AnnotatedPolygon[] = [];
    for (const [position, [rk, region]] of regions.entries()) {
      const where = `${quoted(filename)} region ${quoted(rk, 12).slice(1, -1)}`;
      if (!isRecord(region)) throw new AppError('BAD_INPUT', `${source}: ${where} is not an object`, { file: source, entry: where });
      const shape = isRecord(region.shape_attributes) ? region.shape_attributes : {};
      const attrs = isRecord(region.region_attributes) ? region.region_attributes : {};
      const labelRaw = attrs.label ?? attrs.name ?? attrs.class ?? Object.values(attrs).find((v) => typeof v === 'string');
      if (typeof labelRaw !== 'string') throw new AppError('BAD_INPUT', `${source}: ${where} has no label in region_attributes`, { file: source, entry: where });
      const label = quoted(labelRaw, 40);
      if (Array.isArray(shape.all_points_x)) checkPointCount(source, `${where} (${label})`, shape.all_points_x.length);
      if (Array.isArray(shape.all_points_y)) checkPointCount(source, `${where} (${label})`, shape.all_points_y.length);
      let xs: number[] | undefined;
      let ys: number[] | undefined;
      if (shape.name === 'rect' && typeof shape.x === 'number' && typeof shape.y === 'number' && typeof shape.width === 'number' && typeof shape.height === 'number') {
        const { x, y, width, height } = shape as { x: number; y: number; width: number; height: number };
        xs = [x, x + width, x + width, x];
        ys = [y, y, y + height, y + height];
      } else {
        xs = numberList(shape.all_points_x);
        ys = numberList(shape.all_points_y);
      }
      if (!xs || !ys) {
        throw new AppError('BAD_INPUT', `${source}: ${where} (${label}) has no all_points_x/all_points_y number lists (shape ${quoted(shape.name ?? '?', 20)})`, { file: source, entry: where });
      }
      if (xs.length !== ys.length) {
        throw new AppError('BAD_INPUT', `${source}: ${where} (${label}) has ${xs.length} x but ${ys.length} y coordinates`, { file: source, entry: where });
      }
      const wild = coordinateOutOfRange(xs, ys);
      if (wild !== undefined) {
        throw new AppError('BAD_INPUT', `${source}: ${where} (${label}) has coordinate ${wild}, beyond the +-${ANNOTATION_LIMITS.maxCoordinate} px any image allows`, { file: source, entry: where });
      }
      found.add(labelRaw);
      const classIndex = lookupClass(dict, labelRaw);
      if (classIndex === undefined) {
        if (!unknown.has(labelRaw)) unknown.set(labelRaw, where);
        continue;
      }
      polygons.push({ label: labelRaw, classIndex, xs, ys, entry: where, region: position });
    }
    images.push({ filename, polygons });
  }
  if (unknown.size > 0) {
    const list = [...unknown].slice(0, 20).map(([label, where]) => `${quoted(label, 40)} (first at ${where})`).join(', ');
    throw new AppError(
      'BAD_INPUT',
      `${source}: unknown label ${list}${unknown.size > 20 ? ` and ${unknown.size - 20} more` : ''}. Labels found: ${[...found].sort().slice(0, 40).map((l) => quoted(l, 40).slice(1, -1)).join(', ')}. Dictionary in use (${dict.source}): ${describeDictionary(dict)}. Pass --classes FILE to map them (docs/ANNOTATIONS.md).`,
      { file: source, unknownLabels: [...unknown.keys()], labelsFound: [...found].sort(), dictionary: dict.source },
    );
  }
  return images;
}

/** First and last mask row a polygon with these y coordinates can paint (from > to: none). */
function rowSpan(ys: readonly number[], height: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const y of ys) {
    const t = Math.trunc(y);
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  return [Math.max(0, lo), Math.min(height - 1, hi)];
}

export interface RasterReport {
  readonly mask: MaskBuffer;
  /** Class indices with at least one pixel in the final mask. */
  readonly present: number[];
  /** Layer classes (1-8) with no pixel. */
  readonly missing: number[];
  /** Pixels claimed by polygons of two classes (the later one wins); shared outlines count too. */
  readonly overlaps: { classes: [number, number]; pixels: number }[];
  /** Polygons with points outside the image; they are clipped. */
  readonly outside: { entry: string; label: string }[];
}

/** Paints an image's polygons in file order (a later polygon over an earlier one) and reports what it saw. */
export function rasterizeAnnotation(ann: ImageAnnotation, width: number, height: number): RasterReport {
  const problem = maskSizeProblem(width, height);
  if (problem) throw new AppError('TOO_LARGE', `${quoted(ann.filename)}: cannot rasterise, ${problem}`, { entry: ann.filename, width, height });
  const mask = createMask(width, height);
  const claimed = new Uint16Array(width * height);
  const scratch = createMask(width, height);
  const outside: { entry: string; label: string }[] = [];
  for (const p of ann.polygons) {
    if (p.xs.some((x) => x < 0 || x > width) || p.ys.some((y) => y < 0 || y > height)) outside.push({ entry: p.entry, label: p.label });
    // Only the rows the polygon can touch (PIL paints rows between its truncated extremes) are cleared and scanned.
    const [from, to] = rowSpan(p.ys, height);
    if (from > to) continue;
    scratch.data.fill(0, from * width, (to + 1) * width);
    fillPolygon(scratch, p.xs, p.ys, 1);
    fillPolygon(mask, p.xs, p.ys, p.classIndex);
    const bit = 1 << p.classIndex;
    for (let i = from * width, end = (to + 1) * width; i < end; i++) if (scratch.data[i]) claimed[i]! |= bit;
  }
  const counts = new Array<number>(CLASS_COUNT).fill(0);
  for (const v of mask.data) counts[v]!++;
  const pairs = new Map<number, number>();
  for (const bits of claimed) if (bits & (bits - 1)) pairs.set(bits, (pairs.get(bits) ?? 0) + 1);
  const overlapCounts = new Map<string, { classes: [number, number]; pixels: number }>();
  for (const [bits, pixels] of pairs) {
    const classes: number[] = [];
    for (let c = 1; c < CLASS_COUNT; c++) if (bits & (1 << c)) classes.push(c);
    for (let i = 0; i < classes.length; i++)
      for (let j = i + 1; j < classes.length; j++) {
        const k = `${classes[i]}-${classes[j]}`;
        const o = overlapCounts.get(k) ?? { classes: [classes[i]!, classes[j]!] as [number, number], pixels: 0 };
        o.pixels += pixels;
        overlapCounts.set(k, o);
      }
  }
  return {
    mask,
    present: counts.flatMap((c, i) => (c > 0 ? [i] : [])),
    missing: LAYERS.filter((l) => counts[l.index] === 0).map((l) => l.index),
    overlaps: [...overlapCounts.values()],
    outside,
  };
}
