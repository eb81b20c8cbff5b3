import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import sharp from 'sharp';
import type { ImportFailure } from '../../../src-shared/domain/catalog';
import { BmpError, decodeBmp, isBmp, readBmpHeader } from './bmp';

/** Images above this many pixels are refused (a B-scan is well under 10 MP). */
export const MAX_PIXELS = 50_000_000;

export interface ProbedImage {
  bytes: Buffer;
  sha256: string;
  width: number;
  height: number;
  format: 'jpeg' | 'png' | 'tiff' | 'bmp';
  ext: string;
  mime: string;
}

const FORMATS: Record<string, { ext: string; mime: string }> = {
  jpeg: { ext: 'jpeg', mime: 'image/jpeg' },
  png: { ext: 'png', mime: 'image/png' },
  tiff: { ext: 'tiff', mime: 'image/tiff' },
  bmp: { ext: 'bmp', mime: 'image/bmp' },
};

/**
 * Reads, hashes and validates one image: non-empty, a JPEG/PNG/TIFF/BMP by content (not by name),
 * at most MAX_PIXELS, and decodes fully (a truncated file fails here, not later in the viewer).
 */
export async function probeImage(path: string): Promise<ProbedImage | ImportFailure> {
  const fail = (code: ImportFailure['code'], message: string): ImportFailure => ({ path, code, message });
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (info.size === 0) return fail('EMPTY_FILE', 'The file is empty (0 bytes)');
    if (info.size > 1024 * 1024 * 1024) return fail('TOO_LARGE', `The file is ${Math.round(info.size / 1048576)} MB`);
    bytes = await readFile(path);
  } catch (error) {
    return fail('UNREADABLE_FILE', `The file cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (bytes.length === 0) return fail('EMPTY_FILE', 'The file is empty (0 bytes)');
  const sha256 = createHash('sha256').update(bytes).digest('hex');

  if (isBmp(bytes)) {
    try {
      const h = readBmpHeader(bytes);
      if (h.width * h.height > MAX_PIXELS) return fail('TOO_LARGE', `${h.width}x${h.height} is more than ${MAX_PIXELS / 1e6} megapixels`);
      decodeBmp(bytes);
      return { bytes, sha256, width: h.width, height: h.height, format: 'bmp', ...FORMATS.bmp! };
    } catch (error) {
      if (error instanceof BmpError && error.truncated) return fail('TRUNCATED', 'The BMP ends before its pixel data does');
      return fail('UNREADABLE_IMAGE', `Not a readable BMP: ${(error as Error).message}`);
    }
  }

  let width: number;
  let height: number;
  let format: string;
  try {
    const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
    width = meta.width ?? 0;
    height = meta.height ?? 0;
    format = meta.format ?? 'unknown';
  } catch {
    return fail('UNREADABLE_IMAGE', 'Not a readable image (the content is not JPEG, PNG, TIFF or BMP)');
  }
  const known = FORMATS[format];
  if (!known) return fail('UNREADABLE_IMAGE', `Unsupported image format "${format}" (want JPEG, PNG, TIFF or BMP)`);
  if (width <= 0 || height <= 0) return fail('UNREADABLE_IMAGE', 'The image has no pixels');
  if (width * height > MAX_PIXELS) return fail('TOO_LARGE', `${width}x${height} is more than ${MAX_PIXELS / 1e6} megapixels`);
  try {
    await sharp(bytes, { failOn: 'truncated', limitInputPixels: MAX_PIXELS }).raw().toBuffer();
  } catch (error) {
    const message = (error as Error).message;
    if (/truncat|premature end|unexpected end|end of (file|stream)|short read/i.test(message)) {
      return fail('TRUNCATED', `The ${format.toUpperCase()} file is cut short (${message.trim()})`);
    }
    return fail('UNREADABLE_IMAGE', `The image cannot be decoded: ${message.trim()}`);
  }
  return { bytes, sha256, width, height, format: format as ProbedImage['format'], ...known };
}

export function isFailure(value: ProbedImage | ImportFailure): value is ImportFailure {
  return 'code' in value;
}
