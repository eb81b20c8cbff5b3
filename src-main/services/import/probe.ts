import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { readOrientationMarker, type NasalSideReading } from '../../../src-shared/analysis/laterality';
import type { ImportFailure } from '../../../src-shared/domain/catalog';
import { MAX_IMAGE_FILE_BYTES, PIXEL_BUDGET, pixelBudgetProblem } from '../../../src-shared/domain/limits';
import { describeFileType } from '../files/regular-file';
import { loadSharp } from '../formats/load-sharp';
import { BmpError, decodeBmp, isBmp, readBmpHeader } from './bmp';
import { storedImageBytes } from './image-end';
import { readImageHeader } from './pixel-budget';

/**
 * What makes a decode fail, for import and for every later decode of an image (segmentation, reports):
 * a cut-short file fails; a recoverable warning (a few stray bytes before a JPEG marker) does not. One
 * policy, so a scan import accepted never fails later with the decoder's "Warning treated as error".
 */
export const IMAGE_FAIL_ON = 'truncated' as const;

/** Import's pixel cap: the one pixel budget of every entry point (src-shared/domain/limits.ts). */
export const MAX_PIXELS = PIXEL_BUDGET;

/** A file read and hashed, not yet decoded: enough to tell a duplicate without decoding it. */
export interface ReadImage {
  /** The image's own bytes: a JPEG/PNG up to its end marker (what the library stores and the hash covers). */
  bytes: Buffer;
  sha256: string;
  /** The whole file's hash when it differs (trailing data dropped): catalogs from before matched on it. */
  fileSha256: string | null;
  /** Bytes after the image's end marker that are not stored. */
  trailingBytes: number;
  /** The file's size and modification time when read (fileStamp). */
  stamp: string;
}

export interface ProbedImage extends ReadImage {
  width: number;
  height: number;
  format: 'jpeg' | 'png' | 'tiff' | 'bmp';
  ext: string;
  mime: string;
  /** The burned-in orientation marker of a screen export (Zeiss Cirrus), read from the decoded pixels; null when none. */
  marker: NasalSideReading | null;
}

const FORMATS: Record<string, { ext: string; mime: string }> = {
  jpeg: { ext: 'jpeg', mime: 'image/jpeg' },
  png: { ext: 'png', mime: 'image/png' },
  tiff: { ext: 'tiff', mime: 'image/tiff' },
  bmp: { ext: 'bmp', mime: 'image/bmp' },
};

/**
 * Step 1: reads and hashes one file (no decode). Refuses empty, unreadable and over-long files; cuts a
 * JPEG/PNG at its end marker so trailing data is neither hashed nor stored.
 */
export async function readImageFile(path: string): Promise<ReadImage | ImportFailure> {
  const fail = (code: ImportFailure['code'], message: string): ImportFailure => ({ path, code, message });
  let file: Buffer;
  let stamp: string;
  try {
    const info = await stat(path);
    stamp = stampOf(info);
    // name the kind ("a named pipe (FIFO)", "a folder"): the CLI shows this reason for segment and report too
    if (!info.isFile()) return fail('UNREADABLE_FILE', `The file is ${describeFileType(info)}, not a regular file`);
    if (info.size === 0) return fail('EMPTY_FILE', 'The file is empty (0 bytes)');
    if (info.size > MAX_IMAGE_FILE_BYTES) return fail('TOO_LARGE', `The file is ${mb(info.size)} MB, more than the ${mb(MAX_IMAGE_FILE_BYTES)} MB accepted`);
    file = await readFile(path);
  } catch (error) {
    return fail('UNREADABLE_FILE', `The file cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (file.length === 0) return fail('EMPTY_FILE', 'The file is empty (0 bytes)');
  return { ...contentHashes(file), stamp };
}

/**
 * The catalog's identity of an image file: the image's own bytes (cut at a JPEG/PNG end marker) and
 * their SHA-256, plus the whole file's hash when that differs (scans stored before the cut matched on it).
 * Whatever looks a file up in the catalog by content uses this, so it finds what import stored.
 */
export function contentHashes(file: Buffer): Omit<ReadImage, 'stamp'> {
  const { bytes, trailingBytes } = storedImageBytes(file);
  return { bytes, sha256: sha(bytes), fileSha256: trailingBytes > 0 ? sha(file) : null, trailingBytes };
}

/**
 * Step 2: validates what step 1 read: a JPEG/PNG/TIFF/BMP by content (not by name), within the pixel
 * budget by its header (checked before any decode), and decoding fully (a truncated file fails here,
 * not later in the viewer).
 */
export async function validateImage(path: string, read: ReadImage): Promise<ProbedImage | ImportFailure> {
  const fail = (code: ImportFailure['code'], message: string): ImportFailure => ({ path, code, message });
  const { bytes } = read;
  if (isBmp(bytes)) {
    try {
      const h = readBmpHeader(bytes);
      const tooLarge = pixelBudgetProblem(h.width, h.height);
      if (tooLarge) return fail('TOO_LARGE', `${tooLarge}; not decoded`);
      const rgb = decodeBmp(bytes);
      return { ...read, width: h.width, height: h.height, format: 'bmp', ...FORMATS.bmp!, marker: markerOf(firstChannel(rgb.data, 3), h.width, h.height) };
    } catch (error) {
      if (error instanceof BmpError && error.truncated) return fail('TRUNCATED', 'The BMP ends before its pixel data does');
      return fail('UNREADABLE_IMAGE', `Not a readable BMP: ${(error as Error).message}`);
    }
  }

  let header;
  try {
    header = await readImageHeader(bytes, path);
  } catch {
    return fail('UNREADABLE_IMAGE', 'Not a readable image (the content is not JPEG, PNG, TIFF or BMP)');
  }
  const { width, height, format } = header;
  const known = FORMATS[format];
  if (!known) return fail('UNREADABLE_IMAGE', `Unsupported image format "${format}" (want JPEG, PNG, TIFF or BMP)`);
  if (width <= 0 || height <= 0) return fail('UNREADABLE_IMAGE', 'The image has no pixels');
  const tooLarge = pixelBudgetProblem(width, height);
  if (tooLarge) return fail('TOO_LARGE', `${tooLarge}; not decoded`);
  let marker: NasalSideReading | null;
  const sharp = loadSharp();
  try {
    // decode every pixel once, so a truncated or corrupt file fails here and not later in the viewer; the
    // grey pixels then show whether the export carries an orientation marker (the eye, issue 15.1)
    const { data, info } = await sharp(bytes, { failOn: IMAGE_FAIL_ON, limitInputPixels: PIXEL_BUDGET, sequentialRead: true })
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    marker = markerOf(firstChannel(data, info.channels), info.width, info.height);
  } catch (error) {
    const message = (error as Error).message;
    if (/truncat|premature end|unexpected end|end of (file|stream)|short read/i.test(message)) {
      return fail('TRUNCATED', `The ${format.toUpperCase()} file is cut short: it ends before its image data does`);
    }
    // the decoder's own words (libvips, libjpeg) mean nothing to a reader; the code and this sentence do
    return fail('UNREADABLE_IMAGE', `The ${format.toUpperCase()} image data is corrupt and cannot be decoded`);
  }
  return { ...read, width, height, format: format as ProbedImage['format'], ...known, marker };
}

/** Channel 0 of interleaved pixels (grey, or red of RGB: the marker is white, B-scans are grey). */
function firstChannel(data: Buffer, channels: number): Uint8Array {
  if (channels === 1) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const grey = new Uint8Array(data.length / channels);
  for (let i = 0; i < grey.length; i++) grey[i] = data[i * channels]!;
  return grey;
}

function markerOf(grey: Uint8Array, width: number, height: number): NasalSideReading | null {
  const r = readOrientationMarker(grey, width, height);
  return r ? { nasalSide: r.nasalSide, confidence: r.confidence } : null;
}

/** Both steps, for callers that want one image checked whole. */
export async function probeImage(path: string): Promise<ProbedImage | ImportFailure> {
  const read = await readImageFile(path);
  return isFailure(read) ? read : validateImage(path, read);
}

export function isFailure<T extends object>(value: T | ImportFailure): value is ImportFailure {
  return 'code' in value;
}

/** Size and modification time of a file ('' when it cannot be stat'ed): unchanged stamp, unchanged content. */
export async function fileStamp(path: string): Promise<string> {
  try {
    return stampOf(await stat(path));
  } catch {
    return '';
  }
}

function stampOf(info: { size: number; mtimeMs: number }): string {
  return `${info.size}:${info.mtimeMs}`;
}

function sha(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function mb(bytes: number): number {
  return Math.round(bytes / 1048576);
}
