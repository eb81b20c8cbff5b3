/**
 * The one model every vendor reader returns (after eyepy's EyeVolume): a series of B-scans read on
 * demand, their positions on the localizer, the scale with where each number came from, the eye, the
 * date, and the device's own boundaries. Pure: readers see bytes only through a ByteSource, and images
 * that need native code (TIFF, JPEG 2000) through injected decoders.
 */

/** Random access to one file's bytes, so a 97-B-scan volume never sits in memory at once. */
export interface ByteSource {
  /** What error messages call the file (the adapter passes the path the user gave). */
  readonly name: string;
  /** The file's length in bytes. */
  readonly size: number;
  /** Exactly `length` bytes from `offset`; callers check the range against `size` first (binary.ts). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** The other files of a multi-file export (Heidelberg XML + TIFF), found inside its folder only. */
export interface SiblingFiles {
  /** Paths relative to the export folder, '/'-separated, regular files only (bounded by the adapter). */
  list(): Promise<readonly string[]>;
  open(relativePath: string): Promise<ByteSource>;
}

/** A decoded image as the decoder gives it: interleaved channels, 8 or 16 bits per sample. */
export interface DecodedImage {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array | Uint16Array;
}

/** Decodes one compressed image; rejects (any error) when the bytes are not a valid image. */
export type ImageDecoder = (bytes: Uint8Array) => Promise<DecodedImage>;

/** Decoders the host injects; a reader that needs a missing one refuses with a clear error. */
export interface ImageDecoders {
  tiff?: ImageDecoder;
  jpeg?: ImageDecoder;
  jpeg2000?: ImageDecoder;
}

/** Dimensions stated by the caller for a headerless file (Zeiss .img). */
export interface StatedDimensions {
  bscans: number;
  /** A-scans per B-scan. */
  width: number;
  /** Samples per A-scan (depth). */
  height: number;
}

export interface SeriesInput {
  source: ByteSource;
  /** The export folder's other files, for formats that span files. */
  siblings?: SiblingFiles;
  decoders?: ImageDecoders;
  dimensions?: StatedDimensions;
  /** Which series of a multi-series file (E2E) to open; 0 by default. */
  seriesIndex?: number;
}

export type FormatId = 'heidelberg-vol' | 'heidelberg-xml' | 'heidelberg-e2e' | 'topcon-fda' | 'topcon-fds' | 'zeiss-img';

export type SeriesKind = 'single' | 'line' | 'circle' | 'radial' | 'volume';

/** An 8-bit grey image, row-major, after the vendor's display transform. */
export interface GreyImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

export interface PointMm {
  x: number;
  y: number;
}

/** Where one B-scan lies on the localizer, in mm from the localizer's top-left corner. */
export type BscanGeometry =
  | { type: 'line'; start: PointMm; end: PointMm }
  | { type: 'circle'; centre: PointMm; radius: number; start: PointMm };

export interface BscanMeta {
  geometry: BscanGeometry | null;
  /** The device's quality figure as stored (its own units), or null. */
  quality: number | null;
}

export interface Localizer {
  width: number;
  height: number;
  /** mm per pixel, from the file; null when the file does not say. */
  scaleXMm: number | null;
  scaleYMm: number | null;
  /** e.g. 'IR', 'colour fundus'. */
  modality: string | null;
  /** Why the image cannot be read although the file describes it (read() then rejects). */
  missing?: string;
  read(): Promise<GreyImage>;
}

export type ScaleProvenance = 'file' | 'partial' | 'unknown';

/**
 * Pixel spacing in µm. Each number comes from the file (its field named in `sources`) or is null: a
 * reader never guesses one. `provenance` is 'file' when axial and lateral both came from the file.
 */
export interface SeriesScale {
  axialUm: number | null;
  lateralUm: number | null;
  betweenBscansUm: number | null;
  provenance: ScaleProvenance;
  sources: { axial?: string; lateral?: string; betweenBscans?: string };
}

export interface EyeInfo {
  value: 'OD' | 'OS';
  source: 'file';
  /** The field it was read from. */
  field: string;
}

/** The device's own layer boundaries, read per B-scan on demand. */
export interface DeviceBoundaries {
  /** e.g. 'Heidelberg VOL segmentation', 'Topcon @CONTOUR_INFO'. */
  source: string;
  /** Boundaries that hold at least one valid value, in the device's own names. */
  names: readonly string[];
  /** B-scans the boundaries cover: equals the series' count unless the file was cut (see notes). */
  bscanCount: number;
  /** Values per boundary (A-scans). */
  width: number;
  /** Rows from the B-scan's top edge per A-scan, NaN where the device marked none. */
  read(bscanIndex: number): Promise<Record<string, Float32Array>>;
}

/** Identifying fields, for the catalog only: never logged, never in an error message. */
export interface PatientFields {
  id?: string;
  name?: string;
  birthDate?: string;
  sex?: string;
}

/** How the files of a multi-file export were paired (reported in the import summary). */
export interface PairingReport {
  rule: 'ExamURL file name' | '<ImageNumber>-Input.tif';
  detail: string;
  /** The export's files that were paired (relative to its folder, '/'-separated): import takes them as part of this series, not as images of their own. */
  files: readonly string[];
}

export interface OctSeries {
  format: FormatId;
  /** e.g. 'Heidelberg VOL'. */
  formatLabel: string;
  /** The version string or number the file states, or null. */
  version: string | null;
  kind: SeriesKind;
  bscanCount: number;
  /** Every B-scan's size (readers refuse files whose B-scans differ). */
  width: number;
  height: number;
  /** Where width, height and count came from: the file, the caller, or the byte count (Zeiss). */
  dimensionsSource: 'file' | 'caller' | 'inferred from size';
  bscan(index: number): Promise<GreyImage>;
  bscanMeta: readonly BscanMeta[];
  localizer: Localizer | null;
  scale: SeriesScale;
  eye: EyeInfo | null;
  /** ISO 8601; with an offset when the file gives one, 'Z' for UTC stamps, none for local time. */
  acquired: string | null;
  device: string | null;
  protocol: string | null;
  deviceBoundaries: DeviceBoundaries | null;
  pairing?: PairingReport;
  /** What the reader had to decide or could not read, in plain words (no patient data). */
  notes: string[];
  /**
   * Non-enumerable (see patient.ts): JSON.stringify, console.log and spreads never show it, so it
   * cannot reach a log or a --json print by accident. The catalog reads it explicitly.
   */
  readonly patient?: PatientFields;
}

/** One format: how to recognise it and how to open it. */
export interface FormatReader {
  id: FormatId;
  label: string;
  /** Recognises the format by content (first bytes, structure); Zeiss .img alone by name and size. */
  detect(probe: FormatProbe): Promise<boolean>;
  open(input: SeriesInput): Promise<OctSeries>;
}

export interface FormatProbe {
  source: ByteSource;
  /** The first bytes of the file (up to HEAD_BYTES). */
  head: Uint8Array;
}
