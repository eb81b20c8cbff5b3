/**
 * Display transforms: what the vendor's viewer does to the stored intensities, so a B-scan looks the
 * way the clinician knows it (and the network sees what it was trained on).
 */

/** Heidelberg's float sentinel for "no data" (float32 max); VOL and E2E both use it. */
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Heidelberg's display transform for linear float intensities: (log(x + 2.44e-4) + 8.3) / 8.285,
 * clipped to 0..1, as 8-bit. Values above 1 are shown white and the "no data" sentinel black (as in
 * eyepy's from_vol_intensity).
 */
export function heidelbergGrey(value: number): number {
  if (!(value >= 0) || value >= FLOAT32_MAX) return 0; // NaN, negative, sentinel
  const v = value > 1 ? 1 : (Math.log(value + 2.44e-4) + 8.3) / 8.285;
  return v <= 0 ? 0 : v >= 1 ? 255 : Math.round(v * 255);
}

/**
 * Heidelberg E2E's unsigned 16-bit float: 10-bit mantissa (low bits), 6-bit exponent, bias 63, no sign.
 * The whole 65,536-value table through the display transform is built once.
 */
export function e2eFloat16(bits: number): number {
  const mantissa = bits & 0x3ff;
  const exponent = bits >>> 10;
  return (1 + mantissa / 1024) * Math.pow(2, exponent - 63);
}

let e2eTable: Uint8Array | null = null;
export function e2eGreyTable(): Uint8Array {
  if (!e2eTable) {
    e2eTable = new Uint8Array(65536);
    for (let i = 0; i < 65536; i++) e2eTable[i] = heidelbergGrey(e2eFloat16(i));
  }
  return e2eTable;
}

/**
 * Raw 16-bit intensities (Topcon FDS) to 8-bit by a linear stretch between the B-scan's own minimum
 * and maximum: the file carries no display window.
 */
export function stretch16(values: Uint16Array): Uint8Array {
  let min = 65535;
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? 0;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const out = new Uint8Array(values.length);
  const range = max - min;
  if (range <= 0) return out;
  for (let i = 0; i < values.length; i++) out[i] = Math.round((((values[i] ?? 0) - min) * 255) / range);
  return out;
}

/** The first channel of an interleaved image as 8-bit grey (R of R=G=B exports); 16-bit scaled down. */
export function firstChannelGrey(data: Uint8Array | Uint16Array, width: number, height: number, channels: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const shift = data instanceof Uint16Array ? 8 : 0;
  for (let i = 0, j = 0; i < out.length; i++, j += channels) out[i] = (data[j] ?? 0) >>> shift;
  return out;
}

/** Luma of an interleaved RGB(A) image, or the single channel, as 8-bit grey. */
export function lumaGrey(data: Uint8Array | Uint16Array, width: number, height: number, channels: number): Uint8Array {
  if (channels < 3) return firstChannelGrey(data, width, height, channels);
  const out = new Uint8Array(width * height);
  const shift = data instanceof Uint16Array ? 8 : 0;
  for (let i = 0, j = 0; i < out.length; i++, j += channels) {
    const r = (data[j] ?? 0) >>> shift;
    const g = (data[j + 1] ?? 0) >>> shift;
    const b = (data[j + 2] ?? 0) >>> shift;
    out[i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
  }
  return out;
}
