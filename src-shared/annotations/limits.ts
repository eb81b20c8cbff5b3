import { PIXEL_BUDGET } from '../domain/limits';

/**
 * Limits on annotation input, far above anything real (the 80 DeepEye images: at most 405 points per
 * polygon, 13 regions per image, 946 regions in a 2.3 MB file) and low enough that a hostile or broken
 * file is refused in milliseconds instead of freezing a conversion for minutes or allocating gigabytes.
 * Beyond one: TOO_LARGE naming the file and the entry.
 */
export const ANNOTATION_LIMITS = {
  /** An annotation, COCO, class or corrections file. */
  maxFileBytes: 256 * 1024 * 1024,
  maxPointsPerPolygon: 50_000,
  maxRegionsPerImage: 5_000,
  maxRegionsPerFile: 500_000,
  /** |coordinate| in pixels; points outside the image are clipped, but 1e308 is no coordinate. */
  maxCoordinate: 1_000_000,
  /** A mask is allocated per image: width x height bytes (and 4x that while rasterising); the one pixel budget. */
  maxMaskPixels: PIXEL_BUDGET,
  /** The layer-order audit compares every pair of layer polygons of an image (cost grows with the 4th power). */
  maxAuditedPolygons: 64,
} as const;

/** A width or height as a file may state it: a whole number of pixels, at least 1. */
export function isImageSide(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= ANNOTATION_LIMITS.maxMaskPixels;
}

/** Why a width x height cannot be rasterised, or null when it can. */
export function maskSizeProblem(width: number, height: number): string | null {
  if (!isImageSide(width) || !isImageSide(height)) return `${width}x${height} is not an image size (whole pixels, at least 1)`;
  if (width * height > ANNOTATION_LIMITS.maxMaskPixels) {
    return `${width}x${height} is ${Math.round((width * height) / 1e5) / 10} megapixels, more than the ${ANNOTATION_LIMITS.maxMaskPixels / 1e6} accepted`;
  }
  return null;
}
