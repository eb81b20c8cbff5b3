/**
 * The image size a JPEG 2000 codestream declares in its SIZ marker (ISO 15444-1 A.5.1), read before
 * decoding so a hostile stream cannot make the decoder allocate an arbitrary frame. Big-endian.
 */
export interface Jpeg2000Size {
  width: number;
  height: number;
  components: number;
}

export function jpeg2000Size(bytes: Uint8Array): Jpeg2000Size | null {
  // A raw codestream starts with SOC (FF4F) then SIZ (FF51); a JP2 file wraps one in a jp2c box.
  let at = -1;
  for (let i = 0; i + 1 < Math.min(bytes.length, 4096); i++) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0x4f && bytes[i + 2] === 0xff && bytes[i + 3] === 0x51) {
      at = i + 4;
      break;
    }
  }
  if (at < 0 || at + 38 > bytes.length) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const xsiz = view.getUint32(at + 4);
  const ysiz = view.getUint32(at + 8);
  const xosiz = view.getUint32(at + 12);
  const yosiz = view.getUint32(at + 16);
  const components = view.getUint16(at + 36);
  if (xosiz >= xsiz || yosiz >= ysiz) return null;
  return { width: xsiz - xosiz, height: ysiz - yosiz, components };
}
