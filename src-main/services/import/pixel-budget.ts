/**
 * The pixel-budget check every entry point runs before it decodes an image (import, segment, convert,
 * evaluate, report). It reads the size from the file's header only: sharp's metadata() parses headers
 * without decoding pixels, and BMP (which libvips cannot read) has its own fixed header. A 47 KB PNG
 * that claims 7000x7000 is refused here in milliseconds, instead of costing gigabytes later.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { AppError } from '../../../src-shared/contract';
import { PIXEL_BUDGET, pixelBudgetProblem } from '../../../src-shared/domain/limits';
import { loadSharp } from '../formats/load-sharp';
import { isBmp, readBmpHeader } from './bmp';

export interface ImageHeader {
  width: number;
  height: number;
  /** sharp's format name ('jpeg', 'png', 'tiff', ...) or 'bmp'. */
  format: string;
}

/** Width, height and format from the header, without decoding; BAD_INPUT when there is no readable header. */
export async function readImageHeader(input: string | Buffer, file: string = typeof input === 'string' ? input : 'image'): Promise<ImageHeader> {
  const head = typeof input === 'string' ? readHead(input, file) : input;
  const sharp = loadSharp();
  try {
    if (isBmp(head)) {
      const h = readBmpHeader(typeof input === 'string' ? head : input);
      return { width: h.width, height: h.height, format: 'bmp' };
    }
    const meta = await sharp(input, { limitInputPixels: false }).metadata();
    return { width: meta.width ?? 0, height: meta.height ?? 0, format: meta.format ?? 'unknown' };
  } catch (error) {
    throw new AppError('BAD_INPUT', `${file}: not a readable image (${(error as Error).message.trim()})`, { file });
  }
}

/** Throws TOO_LARGE naming the file, its size and the limit when width x height is beyond the budget. */
export function assertPixelBudget(width: number, height: number, file: string): void {
  const problem = pixelBudgetProblem(width, height);
  if (problem) {
    throw new AppError('TOO_LARGE', `${file}: ${problem}; not decoded`, { file, width, height, pixels: width * height, limit: PIXEL_BUDGET });
  }
}

/** The header check before a decode: the image's header, or TOO_LARGE / BAD_INPUT. */
export async function checkPixelBudget(input: string | Buffer, file?: string): Promise<ImageHeader> {
  const name = file ?? (typeof input === 'string' ? input : 'image');
  const header = await readImageHeader(input, name);
  assertPixelBudget(header.width, header.height, name);
  return header;
}

/** The first bytes of a regular file (enough for a BMP header); never opens a FIFO or device. */
function readHead(path: string, file: string): Buffer {
  let fd: number;
  try {
    if (!statSync(path).isFile()) throw new AppError('BAD_INPUT', `${file}: not a regular file`, { file });
    fd = openSync(path, 'r');
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('BAD_INPUT', `${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'read error'})`, { file });
  }
  try {
    const head = Buffer.alloc(64);
    const n = readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}
