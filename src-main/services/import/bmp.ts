/**
 * A minimal BMP reader (sharp/libvips has no BMP loader): uncompressed 8-bit palette, 24-bit and
 * 32-bit Windows bitmaps, bottom-up or top-down. Enough to validate and convert the BMPs OCT devices
 * and screen-grab tools write.
 */
export interface BmpHeader {
  width: number;
  height: number;
  bitsPerPixel: number;
  topDown: boolean;
  dataOffset: number;
  compression: number;
}

export class BmpError extends Error {
  constructor(
    message: string,
    readonly truncated = false,
  ) {
    super(message);
  }
}

export function isBmp(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d;
}

export function readBmpHeader(buf: Buffer): BmpHeader {
  if (!isBmp(buf) || buf.length < 26) throw new BmpError('not a BMP file');
  const dataOffset = buf.readUInt32LE(10);
  const headerSize = buf.readUInt32LE(14);
  if (headerSize < 40 || buf.length < 14 + 40) throw new BmpError(`unsupported BMP header (size ${headerSize})`);
  const width = buf.readInt32LE(18);
  const rawHeight = buf.readInt32LE(22);
  const bitsPerPixel = buf.readUInt16LE(28);
  const compression = buf.readUInt32LE(30);
  if (width <= 0 || rawHeight === 0) throw new BmpError('BMP has no pixels');
  if (![8, 24, 32].includes(bitsPerPixel)) throw new BmpError(`unsupported BMP depth ${bitsPerPixel} bits`);
  if (!(compression === 0 || (compression === 3 && bitsPerPixel === 32))) throw new BmpError(`unsupported BMP compression ${compression}`);
  return { width, height: Math.abs(rawHeight), bitsPerPixel, topDown: rawHeight < 0, dataOffset, compression };
}

/** Decodes to packed RGB (3 channels). Throws BmpError(truncated) when the pixel data is short. */
export function decodeBmp(buf: Buffer): { width: number; height: number; data: Buffer } {
  const h = readBmpHeader(buf);
  const stride = Math.ceil((h.width * h.bitsPerPixel) / 32) * 4;
  if (h.dataOffset + stride * h.height > buf.length) throw new BmpError('BMP pixel data is truncated', true);
  const out = Buffer.alloc(h.width * h.height * 3);
  const paletteOffset = 14 + buf.readUInt32LE(14);
  for (let y = 0; y < h.height; y++) {
    const row = h.dataOffset + stride * (h.topDown ? y : h.height - 1 - y);
    for (let x = 0; x < h.width; x++) {
      const o = (y * h.width + x) * 3;
      if (h.bitsPerPixel === 8) {
        const p = paletteOffset + (buf[row + x] as number) * 4;
        out[o] = buf[p + 2] ?? 0;
        out[o + 1] = buf[p + 1] ?? 0;
        out[o + 2] = buf[p] ?? 0;
      } else {
        const px = row + x * (h.bitsPerPixel / 8);
        out[o] = buf[px + 2] as number;
        out[o + 1] = buf[px + 1] as number;
        out[o + 2] = buf[px] as number;
      }
    }
  }
  return { width: h.width, height: h.height, data: out };
}
