import { FormatError } from './errors';
import type { ByteSource } from './types';

/**
 * Bounded reads: every offset and length is checked against the file (or the block) before a byte is
 * touched, and an allocation is never larger than what the file can actually hold.
 */

/** How many bytes detection looks at. */
export const HEAD_BYTES = 4096;

/** Sanity caps that hold for every real device (the largest known B-scan is 1536 x 1024). */
export const LIMITS = {
  maxSide: 16_384,
  maxBscanPixels: 30_000_000, // the app's pixel budget (see src-shared/domain/limits.ts)
  maxBscans: 10_000,
  /** The largest single block a reader reads at once (a compressed slice, an XML file). */
  maxBlockBytes: 256 * 1024 * 1024,
} as const;

/** Reads [offset, offset + length) after checking it lies inside the file. */
export async function readRange(source: ByteSource, offset: number, length: number, field: string): Promise<Uint8Array> {
  checkRange(source, offset, length, field);
  const bytes = await source.read(offset, length);
  if (bytes.length !== length) {
    throw new FormatError(source.name, field, `read ${bytes.length} of ${length} bytes at offset ${offset}`, 'truncated');
  }
  return bytes;
}

export function checkRange(source: { name: string; size: number }, offset: number, length: number, field: string): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new FormatError(source.name, field, `invalid offset ${offset} or length ${length}`);
  }
  if (length > LIMITS.maxBlockBytes) {
    throw new FormatError(source.name, field, `block of ${length} bytes is larger than the ${LIMITS.maxBlockBytes} accepted`, 'too-large');
  }
  if (offset + length > source.size) {
    throw new FormatError(
      source.name,
      field,
      `needs bytes ${offset}..${offset + length} but the file ends at ${source.size} (truncated?)`,
      'truncated',
    );
  }
}

/** Checks a width x height (x count) against the sanity caps before anything is allocated for it. */
export function checkImageSize(file: string, field: string, width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new FormatError(file, field, `image size ${width} x ${height} is not valid`);
  }
  if (width > LIMITS.maxSide || height > LIMITS.maxSide || width * height > LIMITS.maxBscanPixels) {
    throw new FormatError(file, field, `image size ${width} x ${height} is beyond the ${LIMITS.maxBscanPixels}-pixel limit`, 'too-large');
  }
}

export function checkCount(file: string, field: string, count: number, min = 1): void {
  if (!Number.isInteger(count) || count < min || count > LIMITS.maxBscans) {
    throw new FormatError(file, field, `count ${count} is outside ${min}..${LIMITS.maxBscans}`);
  }
}

/**
 * Little-endian field reads inside one block of a file. `base` is the block's offset in the file, so
 * messages can say where; `what` names the structure (e.g. 'B-scan 3 header').
 */
export class FieldReader {
  readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(
    bytes: Uint8Array,
    readonly file: string,
    readonly base: number,
    readonly what: string,
  ) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  private at(offset: number, size: number, field: string): number {
    if (!Number.isInteger(offset) || offset < 0 || offset + size > this.bytes.length) {
      throw new FormatError(
        this.file,
        `${this.what} ${field}`,
        `field at offset ${this.base + offset} runs past the end of the ${this.bytes.length}-byte block (truncated?)`,
        'truncated',
      );
    }
    return offset;
  }

  u8(offset: number, field: string): number {
    return this.view.getUint8(this.at(offset, 1, field));
  }
  u16(offset: number, field: string): number {
    return this.view.getUint16(this.at(offset, 2, field), true);
  }
  u32(offset: number, field: string): number {
    return this.view.getUint32(this.at(offset, 4, field), true);
  }
  i32(offset: number, field: string): number {
    return this.view.getInt32(this.at(offset, 4, field), true);
  }
  /** A 64-bit unsigned value as a bigint (tick counts exceed 2^53). */
  u64(offset: number, field: string): bigint {
    return this.view.getBigUint64(this.at(offset, 8, field), true);
  }
  f32(offset: number, field: string): number {
    return this.view.getFloat32(this.at(offset, 4, field), true);
  }
  f64(offset: number, field: string): number {
    return this.view.getFloat64(this.at(offset, 8, field), true);
  }
  /** A fixed-width ASCII/Latin-1 text field, cut at the first NUL, trimmed. */
  text(offset: number, length: number, field: string): string {
    const start = this.at(offset, length, field);
    let out = '';
    for (let i = start; i < start + length; i++) {
      const c = this.bytes[i] ?? 0;
      if (c === 0) break;
      out += String.fromCharCode(c);
    }
    return out.trim();
  }
  /** A sub-block [offset, offset + length), bounds-checked. */
  slice(offset: number, length: number, field: string): Uint8Array {
    const start = this.at(offset, length, field);
    return this.bytes.subarray(start, start + length);
  }
  /** Refuses a value outside [min, max] (sizes, counts) with a message naming the field. */
  expectRange(value: number, min: number, max: number, field: string): number {
    if (!Number.isFinite(value) || value < min || value > max) {
      throw new FormatError(this.file, `${this.what} ${field}`, `value ${value} is outside ${min}..${max}`);
    }
    return value;
  }
}

/** Reads a block and wraps it in a FieldReader. */
export async function readFields(source: ByteSource, offset: number, length: number, what: string): Promise<FieldReader> {
  return new FieldReader(await readRange(source, offset, length, what), source.name, offset, what);
}

/** An in-memory ByteSource (tests, fuzzing, bytes that came from a decoder). */
export function memorySource(name: string, bytes: Uint8Array): ByteSource {
  return {
    name,
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
  };
}

/** Whether `bytes` starts with the ASCII text `magic` at `offset`. */
export function hasMagic(bytes: Uint8Array, magic: string, offset = 0): boolean {
  if (offset + magic.length > bytes.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[offset + i] !== magic.charCodeAt(i)) return false;
  return true;
}
