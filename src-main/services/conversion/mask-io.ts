import sharp, { type OutputInfo } from 'sharp';
import { AppError } from '../../../src-shared/contract';
import type { MaskBuffer } from '../../../src-shared/annotations/rasterize';

/** Width and height of an image file. */
export async function imageSize(path: string): Promise<{ width: number; height: number }> {
  try {
    const meta = await sharp(path).metadata();
    if (!meta.width || !meta.height) throw new Error('no size');
    return { width: meta.width, height: meta.height };
  } catch (error) {
    throw new AppError('BAD_INPUT', `${path}: cannot read the image (${(error as Error).message})`, { file: path });
  }
}

/** Writes a class-index mask as a single-channel 8-bit PNG. */
export async function writeMaskPng(path: string, mask: MaskBuffer): Promise<void> {
  await sharp(Buffer.from(mask.data.buffer, mask.data.byteOffset, mask.data.length), { raw: { width: mask.width, height: mask.height, channels: 1 } })
    .png({ compressionLevel: 6 })
    .toFile(path);
}

/**
 * Reads a mask file (any format sharp reads, whatever its name says) as one 8-bit channel. RGB masks
 * must be grey (R = G = B); `grey: false` reports one that is not.
 */
export async function readMaskFile(path: string): Promise<MaskBuffer & { grey: boolean }> {
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
