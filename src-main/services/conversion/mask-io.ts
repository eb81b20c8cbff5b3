import sharp, { type OutputInfo } from 'sharp';
import { AppError } from '../../../src-shared/contract';
import { maskSizeProblem } from '../../../src-shared/annotations/limits';
import type { MaskBuffer } from '../../../src-shared/annotations/rasterize';
import { encodeLabelPng } from '../catalog/label-map-png';
import { writeFileAtomicAsync } from '../files/atomic-write';
import { requireRegularFile } from '../files/regular-file';

/**
 * Width and height of an image file, from its header. Refuses a FIFO, device or folder (sharp would
 * block on a FIFO) and, with TOO_LARGE, an image too large for a mask, before anything is decoded.
 */
export async function imageSize(path: string, what = 'image'): Promise<{ width: number; height: number }> {
  requireRegularFile(path, what);
  let meta;
  try {
    meta = await sharp(path).metadata();
  } catch (error) {
    throw new AppError('BAD_INPUT', `${path}: cannot read the ${what} (${(error as Error).message})`, { file: path });
  }
  if (!meta.width || !meta.height) throw new AppError('BAD_INPUT', `${path}: cannot read the ${what} (no size in its header)`, { file: path });
  const problem = maskSizeProblem(meta.width, meta.height);
  if (problem) throw new AppError('TOO_LARGE', `${path}: the ${what} is ${problem}`, { file: path, width: meta.width, height: meta.height });
  return { width: meta.width, height: meta.height };
}

/** Writes a class-index mask as a single-channel 8-bit PNG (the catalog's label-map codec), atomically. */
export async function writeMaskPng(path: string, mask: MaskBuffer): Promise<void> {
  await writeFileAtomicAsync(path, await encodeLabelPng(mask.data, mask.width, mask.height));
}

/**
 * Reads a mask file (any format sharp reads, whatever its name says) as one 8-bit channel. RGB masks
 * must be grey (R = G = B); `grey: false` reports one that is not.
 */
export async function readMaskFile(path: string): Promise<MaskBuffer & { grey: boolean }> {
  await imageSize(path, 'mask');
  let raw: { data: Buffer; info: OutputInfo };
  try {
    raw = await sharp(path).raw().toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new AppError('BAD_INPUT', `${path}: cannot read the mask (${(error as Error).message})`, { file: path });
  }
  const { width, height, channels } = raw.info;
  const data = new Uint8Array(width * height);
  let grey = true;
  const colourChannels = channels >= 3 ? 3 : 1;
  for (let i = 0, p = 0; i < data.length; i++, p += channels) {
    const v = raw.data[p]!;
    data[i] = v;
    if (colourChannels === 3 && (raw.data[p + 1] !== v || raw.data[p + 2] !== v)) grey = false;
  }
  return { width, height, data, grey };
}
