/**
 * Where a JPEG or PNG ends. Bytes after a JPEG's EOI marker or a PNG's IEND chunk are not part of the
 * image (a vendor trailer, padding, or 200 MB of junk); the importer stores and hashes only the image
 * itself, so the library holds what the image needs and the same picture with or without a trailer is
 * one scan. Found by walking the file's structure (segments, chunks, entropy-coded data), never by
 * searching for the first FF D9, which also occurs inside an embedded EXIF thumbnail.
 */

/** Length in bytes of the image at the start of `bytes`, or null when its end cannot be found (the decoder then judges it). */
export function imageByteLength(bytes: Buffer): number | null {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xd8) return jpegLength(bytes);
  if (bytes.length >= 8 && bytes.readUInt32BE(0) === 0x89504e47 && bytes.readUInt32BE(4) === 0x0d0a1a0a) return pngLength(bytes);
  return null;
}

/** The image bytes of a file: a JPEG/PNG up to its end marker, anything else whole. */
export function storedImageBytes(bytes: Buffer): { bytes: Buffer; trailingBytes: number } {
  const end = imageByteLength(bytes);
  if (end === null || end >= bytes.length) return { bytes, trailingBytes: 0 };
  return { bytes: bytes.subarray(0, end), trailingBytes: bytes.length - end };
}

function jpegLength(b: Buffer): number | null {
  const n = b.length;
  let i = 2;
  while (i < n) {
    if (b[i] !== 0xff) return null;
    while (i < n && b[i] === 0xff) i++; // fill bytes before a marker
    if (i >= n) return null;
    const marker = b[i++]!;
    if (marker === 0xd9) return i; // EOI
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) continue; // markers without a length
    if (i + 2 > n) return null;
    const length = b.readUInt16BE(i);
    if (length < 2) return null;
    i += length;
    if (marker !== 0xda) continue;
    // after SOS: entropy-coded data up to the next marker (FF 00 is a stuffed byte, FF D0-D7 a restart)
    for (;;) {
      const ff = b.indexOf(0xff, i);
      if (ff < 0 || ff + 1 >= n) return null;
      const next = b[ff + 1]!;
      if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) { i = ff + 2; continue; }
      if (next === 0xff) { i = ff + 1; continue; }
      i = ff;
      break;
    }
  }
  return null;
}

function pngLength(b: Buffer): number | null {
  let i = 8;
  while (i + 12 <= b.length) {
    const length = b.readUInt32BE(i);
    const type = b.toString('latin1', i + 4, i + 8);
    const end = i + 12 + length;
    if (end > b.length) return null;
    if (type === 'IEND') return end;
    i = end;
  }
  return null;
}
