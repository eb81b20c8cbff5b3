/**
 * The limits every entry point applies to a user's input, in one place: import, segment, convert,
 * evaluate and report refuse an image beyond the pixel budget (TOO_LARGE, read from the file's header
 * before any pixel is decoded), and import refuses manifest text beyond the field limits.
 *
 * Why 30 megapixels. The largest real OCT images we hold are 0.52 MP (OCTID 879x586 B-scans; OCTDL
 * 1102x411; Spectralis 768x768 localizers and 768x496 B-scans; Cirrus 1024x512); the largest device
 * exports we know of are 1536x1536 Spectralis localizers (2.4 MP) and a 300-dpi scan of a printed letter
 * page (3300x2550, 8.4 MP). 30 MP leaves 3.5x headroom over that page and 12x over any localizer, while
 * what a legal image costs stays bounded: decoded grey 30 MB (RGBA 120 MB), the label map 30 MB and its
 * confidence map 120 MB at full size. The network does not run at full size beyond
 * INFERENCE_MAX_PIXELS (see there), which is where the memory is.
 */
export const PIXEL_BUDGET = 30_000_000;

/**
 * The most pixels the segmentation network is run on at once. Measured with the shipped UNet on ONNX
 * Runtime (CPU): peak RSS grows by about 250 bytes per input pixel (388 MB for 1100x733, 2.0 GB for
 * 3300x2200; a 7000x7000 image took 13 GB). Every real B-scan (at most 2.4 MP) runs at its own
 * resolution; a larger image is resized down to this many pixels for the network (about 1.1 GB peak),
 * its labels resized back, and the summary says so.
 */
export const INFERENCE_MAX_PIXELS = 4_000_000;

/** Longest accepted image file: a 30 MP 16-bit RGBA TIFF without compression is 240 MB. */
export const MAX_IMAGE_FILE_BYTES = 256 * 1024 * 1024;

/** Longest accepted text per manifest field (characters). Beyond one, the row is refused, not cut. */
export const TEXT_LIMITS = {
  patientId: 64,
  patientName: 200,
  device: 200,
  tag: 64,
  tagsPerRow: 32,
  filePath: 4096,
} as const;

/** Why width x height is beyond the pixel budget, or null when it is within it. */
export function pixelBudgetProblem(width: number, height: number): string | null {
  const pixels = width * height;
  if (pixels <= PIXEL_BUDGET) return null;
  return `${width}x${height} is ${megapixels(pixels)} megapixels, more than the ${megapixels(PIXEL_BUDGET)} accepted`;
}

export function megapixels(pixels: number): number {
  return Math.round(pixels / 1e5) / 10;
}
