/**
 * The image decoders the pure readers need native or WebAssembly code for: TIFF and JPEG through sharp
 * (libvips), JPEG 2000 (Topcon FDA slices) through OpenJPEG's WebAssembly build. Each checks the size
 * against the pixel budget before it decodes and rejects on anything that is not a valid image.
 */
import { createRequire } from 'node:module';
import sharp from 'sharp';
import { LIMITS } from '../../../src-shared/formats/binary';
import { jpeg2000Size } from '../../../src-shared/formats/jpeg2000';
import type { DecodedImage, ImageDecoder, ImageDecoders } from '../../../src-shared/formats/types';

/**
 * TIFF or JPEG through sharp, as 8-bit samples with the image's own channel count. failOn 'error': a
 * TIFF whose strips are cut short is refused ('truncated' lets libtiff pad it with black).
 */
export const sharpDecoder: ImageDecoder = async (bytes) => {
  const { data, info } = await sharp(bytes, { limitInputPixels: LIMITS.maxBscanPixels, failOn: 'error' })
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: info.channels, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
};

interface J2KDecoderInstance {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getDecodedBuffer(): Uint8Array;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned: boolean };
  delete(): void;
}
interface OpenJpegModule {
  J2KDecoder: new () => J2KDecoderInstance;
}

let openJpeg: Promise<OpenJpegModule> | null = null;

/** Loads the WebAssembly decoder once, with OpenJPEG's progress chatter silenced. */
function loadOpenJpeg(): Promise<OpenJpegModule> {
  if (!openJpeg) {
    const require = createRequire(__filename);
    const factory = require('@cornerstonejs/codec-openjpeg/decodewasmjs') as (options: object) => Promise<OpenJpegModule>;
    const quiet = () => {};
    openJpeg = factory({ print: quiet, printErr: quiet });
  }
  return openJpeg;
}

/** One JPEG 2000 codestream; 16-bit samples come back as a Uint16Array. */
export const jpeg2000Decoder: ImageDecoder = async (bytes) => {
  const module = await loadOpenJpeg();
  const decoder = new module.J2KDecoder();
  try {
    const header = jpeg2000Size(bytes);
    if (!header) throw new Error('no JPEG 2000 SIZ marker');
    if (header.width * header.height > LIMITS.maxBscanPixels || header.components < 1 || header.components > 4) {
      throw new Error(`JPEG 2000 frame ${header.width} x ${header.height} x ${header.components} is not acceptable`);
    }
    decoder.getEncodedBuffer(bytes.length).set(bytes);
    decoder.decode();
    const info = decoder.getFrameInfo();
    const decoded = decoder.getDecodedBuffer();
    const samples = info.width * info.height * info.componentCount;
    if (info.width !== header.width || info.height !== header.height || info.componentCount !== header.components) throw new Error('JPEG 2000 stream did not decode');
    let data: Uint8Array | Uint16Array;
    if (info.bitsPerSample <= 8) {
      if (decoded.length < samples) throw new Error('JPEG 2000 stream decoded short');
      data = Uint8Array.from(decoded.subarray(0, samples));
    } else {
      if (decoded.length < samples * 2) throw new Error('JPEG 2000 stream decoded short');
      const copy = Uint8Array.from(decoded.subarray(0, samples * 2));
      data = new Uint16Array(copy.buffer, 0, samples);
    }
    const image: DecodedImage = { width: info.width, height: info.height, channels: info.componentCount, data };
    return image;
  } finally {
    decoder.delete();
  }
};

/** The decoders the Node side injects into every reader. */
export const nodeDecoders: ImageDecoders = { tiff: sharpDecoder, jpeg: sharpDecoder, jpeg2000: jpeg2000Decoder };
