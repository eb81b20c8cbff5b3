/** The one codec for stored label maps: lossless 8-bit single-channel PNG, pixel = canonical class 0-8. */
import { loadSharp } from '../formats/load-sharp';
import { AppError } from '../../../src-shared/contract';

export function encodeLabelPng(labels: Uint8Array, width: number, height: number): Promise<Buffer> {
  return loadSharp()(labels, { raw: { width, height, channels: 1 } }).toColourspace('b-w').png({ compressionLevel: 3, adaptiveFiltering: false }).toBuffer();
}

/** Decodes a stored label map and checks it has the size the caller expects. */
export async function decodeLabelMap(png: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  const sharp = loadSharp();
  const { data, info } = await sharp(Buffer.from(png)).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  if (info.width !== width || info.height !== height) {
    throw new AppError('BAD_INPUT', `The label map is ${info.width}x${info.height}, expected ${width}x${height}.`);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
