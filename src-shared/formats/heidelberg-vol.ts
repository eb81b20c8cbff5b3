import { checkCount, checkImageSize, FieldReader, hasMagic, readFields, readRange } from './binary';
import { fileTimeToIso, oleDateToIso } from './dates';
import { heidelbergGrey } from './display';
import { FormatError } from './errors';
import { HEIDELBERG_LINE_NAMES, heidelbergLineName } from './heidelberg-lines';
import { withPatient } from './patient';
import { boundaryValues, checkIndex, geometryFrom, hasAnyValue, heidelbergKind, makeScale } from './series-parts';
import type { BscanMeta, ByteSource, DeviceBoundaries, FormatReader, GreyImage, Localizer, OctSeries } from './types';

/**
 * Heidelberg Spectralis raw export (.vol): a 2,048-byte header, the SLO localizer (uint8), then per
 * B-scan a header of `bscan_hdr_size` bytes (its start/end, quality and segmentation lines) and the
 * float32 image. Layout as documented by Heidelberg's "HSF-OCT-10x" export and read by eyepy
 * (io/he/vol_reader.py); written here from that description.
 */

const FILE_HEADER_BYTES = 2048;
const BSCAN_FIXED_BYTES = 256;
const KNOWN_VERSIONS = ['HSF-OCT-101', 'HSF-OCT-102', 'HSF-OCT-103'];

interface VolHeader {
  version: string;
  width: number;
  bscans: number;
  height: number;
  scaleXMm: number;
  distanceMm: number;
  scaleYMm: number;
  sloWidth: number;
  sloHeight: number;
  sloScaleXMm: number;
  sloScaleYMm: number;
  fieldOfViewDeg: number;
  eye: string;
  examTicks: bigint;
  scanPattern: number;
  bscanHeaderBytes: number;
  patientId: string;
  birthDays: number;
  gridType: number;
  gridOffset: number;
}

function parseHeader(r: FieldReader): VolHeader {
  return {
    version: r.text(0, 12, 'version'),
    width: r.u32(12, 'size_x'),
    bscans: r.u32(16, 'num_bscans'),
    height: r.u32(20, 'size_y'),
    scaleXMm: r.f64(24, 'scale_x'),
    distanceMm: r.f64(32, 'distance'),
    scaleYMm: r.f64(40, 'scale_y'),
    sloWidth: r.u32(48, 'size_x_slo'),
    sloHeight: r.u32(52, 'size_y_slo'),
    sloScaleXMm: r.f64(56, 'scale_x_slo'),
    sloScaleYMm: r.f64(64, 'scale_y_slo'),
    fieldOfViewDeg: r.u32(72, 'field_size_slo'),
    eye: r.text(84, 4, 'scan_position'),
    examTicks: r.u64(88, 'exam_time'),
    scanPattern: r.i32(96, 'scan_pattern'),
    bscanHeaderBytes: r.u32(100, 'bscan_hdr_size'),
    patientId: r.text(140, 24, 'patient_id'),
    birthDays: r.f64(164, 'dob'),
    gridType: r.u32(208, 'grid_type'),
    gridOffset: r.u32(212, 'grid_offset'),
  };
}

/** A plausible VOL header without the HSF-OCT- signature (eyepy writes its own version string). */
function isPrintableVersion(head: Uint8Array): boolean {
  let ended = false;
  for (let i = 0; i < 12; i++) {
    const c = head[i] ?? 0;
    if (c === 0) ended = true;
    else if (ended || c < 0x20 || c > 0x7e) return false;
  }
  return (head[0] ?? 0) !== 0;
}

async function detect({ head, source }: { head: Uint8Array; source: ByteSource }): Promise<boolean> {
  if (hasMagic(head, 'HSF-OCT-')) return true;
  if (head.length < FILE_HEADER_BYTES || !isPrintableVersion(head)) return false;
  // Structure: sane sizes, and the first B-scan header (after the SLO) repeats the version or says HSF-BS-.
  const r = new FieldReader(head, source.name, 0, 'header');
  const h = parseHeader(r);
  const sane = (v: number, max: number) => Number.isInteger(v) && v >= 1 && v <= max;
  if (!sane(h.width, 16384) || !sane(h.height, 16384) || !sane(h.bscans, 10000) || h.sloWidth > 16384 || h.sloHeight > 16384) return false;
  const firstBscan = FILE_HEADER_BYTES + h.sloWidth * h.sloHeight;
  if (firstBscan + 12 > source.size) return false;
  const tag = await source.read(firstBscan, 12);
  return hasMagic(tag, 'HSF-BS-') || head.subarray(0, 12).every((b, i) => b === tag[i]);
}

async function open({ source }: { source: ByteSource }): Promise<OctSeries> {
  const file = source.name;
  const notes: string[] = [];
  const h = parseHeader(await readFields(source, 0, FILE_HEADER_BYTES, 'file header'));
  const heidelberg = h.version.startsWith('HSF-OCT-');
  if (heidelberg && !KNOWN_VERSIONS.includes(h.version)) {
    throw new FormatError(file, 'file header version', `unsupported version ${printable(h.version)} (known: ${KNOWN_VERSIONS.join(', ')})`, 'unsupported');
  }
  if (!heidelberg) {
    notes.push(`Version string "${printable(h.version)}" is not Heidelberg's HSF-OCT-: written by another program, read by its structure.`);
  }
  checkImageSize(file, 'file header size_x/size_y', h.width, h.height);
  checkCount(file, 'file header num_bscans', h.bscans);
  const sloBytes = h.sloWidth * h.sloHeight;
  if (sloBytes > 0) checkImageSize(file, 'file header size_x_slo/size_y_slo', h.sloWidth, h.sloHeight);
  const firstBscan = FILE_HEADER_BYTES + sloBytes;
  const imageBytes = h.width * h.height * 4;
  const bscanHeaderBytes = await chooseBscanHeaderSize(source, h, firstBscan, imageBytes, notes);
  const stride = bscanHeaderBytes + imageBytes;

  const { kind, protocol } = heidelbergKind(h.scanPattern, h.bscans, notes);
  const meta: BscanMeta[] = [];
  const lines: { count: number; offset: number }[] = [];
  for (let i = 0; i < h.bscans; i++) {
    const at = firstBscan + i * stride;
    const r = await readFields(source, at, BSCAN_FIXED_BYTES, `B-scan ${i} header`);
    const tag = r.text(0, 12, 'version');
    if (heidelberg ? !tag.startsWith('HSF-BS-') : tag !== h.version) {
      throw new FormatError(file, `B-scan ${i} header version`, `expected ${heidelberg ? 'HSF-BS-' : 'the file version'} at offset ${at}: the B-scan layout does not match the header`);
    }
    const count = r.expectRange(r.u32(48, 'num_seg'), 0, HEIDELBERG_LINE_NAMES.length, 'num_seg');
    const offset = count === 0 ? BSCAN_FIXED_BYTES : r.expectRange(r.u32(52, 'seg_offset'), BSCAN_FIXED_BYTES, bscanHeaderBytes, 'seg_offset');
    if (offset + count * h.width * 4 > bscanHeaderBytes) {
      throw new FormatError(file, `B-scan ${i} header num_seg`, `${count} lines of ${h.width} values at offset ${offset} do not fit in the ${bscanHeaderBytes}-byte header`);
    }
    lines.push({ count, offset });
    const quality = r.f32(56, 'quality');
    meta.push({
      geometry: geometryFrom(kind, { x: r.f64(16, 'start_x'), y: r.f64(24, 'start_y') }, { x: r.f64(32, 'end_x'), y: r.f64(40, 'end_y') }),
      quality: Number.isFinite(quality) && quality < 3e38 ? Math.round(quality * 100) / 100 : null,
    });
  }

  const deviceBoundaries = await readBoundaryIndex(source, h, firstBscan, stride, lines);
  if (h.gridType > 0) notes.push(`Thickness grid type ${h.gridType} at offset ${h.gridOffset} is not read.`);
  const eye = h.eye === 'OD' || h.eye === 'OS' ? ({ value: h.eye, source: 'file', field: 'scan_position' } as const) : null;
  if (!eye) notes.push('The header names no eye (scan_position).');

  const series: OctSeries = {
    format: 'heidelberg-vol',
    formatLabel: 'Heidelberg VOL',
    version: printable(h.version) || null,
    kind,
    bscanCount: h.bscans,
    width: h.width,
    height: h.height,
    dimensionsSource: 'file',
    bscan: (index) => readBscan(source, h, firstBscan, stride, bscanHeaderBytes, index),
    bscanMeta: meta,
    localizer: sloBytes > 0 ? localizer(source, h) : null,
    scale: makeScale({
      axial: { um: h.scaleYMm * 1000, source: 'VOL header scale_y' },
      lateral: { um: h.scaleXMm * 1000, source: 'VOL header scale_x' },
      betweenBscans: h.bscans > 1 ? { um: h.distanceMm * 1000, source: 'VOL header distance' } : null,
    }),
    eye,
    acquired: fileTimeToIso(h.examTicks),
    device: heidelberg ? 'Heidelberg Engineering Spectralis' : null,
    protocol,
    deviceBoundaries,
    notes,
  };
  return withPatient(series, { id: h.patientId, birthDate: oleDateToIso(h.birthDays) ?? undefined });
}

/**
 * The B-scan header size from the file header, checked against the file's length. A file whose header
 * value does not fit but whose first B-scan header states one that does (eyepy writes 61,440 in the
 * file header and 256 + 17 lines in each B-scan's) is read with the B-scan's value, and says so.
 */
async function chooseBscanHeaderSize(source: ByteSource, h: VolHeader, firstBscan: number, imageBytes: number, notes: string[]): Promise<number> {
  const fits = (hdr: number) => hdr >= BSCAN_FIXED_BYTES && firstBscan + h.bscans * (hdr + imageBytes) <= source.size;
  if (fits(h.bscanHeaderBytes)) return h.bscanHeaderBytes;
  const own = (await readFields(source, firstBscan, 16, 'B-scan 0 header')).u32(12, 'bscan_hdr_size');
  if (own !== h.bscanHeaderBytes && fits(own)) {
    notes.push(`File header bscan_hdr_size ${h.bscanHeaderBytes} does not fit the file; the B-scan headers' ${own} does and is used.`);
    return own;
  }
  const needed = firstBscan + h.bscans * (h.bscanHeaderBytes + imageBytes);
  throw new FormatError(
    source.name,
    'file header num_bscans/bscan_hdr_size',
    `${h.bscans} B-scans of ${h.width} x ${h.height} with ${h.bscanHeaderBytes}-byte headers need ${needed} bytes but the file has ${source.size} (truncated?)`,
    'truncated',
  );
}

/** Reads every B-scan's lines once to list the boundaries that hold data; keeps only the names. */
async function readBoundaryIndex(
  source: ByteSource,
  h: VolHeader,
  firstBscan: number,
  stride: number,
  lines: { count: number; offset: number }[],
): Promise<DeviceBoundaries | null> {
  const maxLines = Math.max(0, ...lines.map((l) => l.count));
  if (maxLines === 0) return null;
  const filled = new Set<number>();
  for (let i = 0; i < lines.length; i++) {
    const values = await readLines(source, h, firstBscan, stride, lines, i);
    values.forEach((v, l) => v && hasAnyValue(v) && filled.add(l));
  }
  const present = [...filled].sort((a, b) => a - b);
  if (present.length === 0) return null;
  return {
    source: 'Heidelberg VOL segmentation lines',
    names: present.map(heidelbergLineName),
    bscanCount: h.bscans,
    width: h.width,
    read: async (index) => {
      checkIndex(source.name, index, h.bscans);
      const values = await readLines(source, h, firstBscan, stride, lines, index);
      const out: Record<string, Float32Array> = {};
      for (const l of present) out[heidelbergLineName(l)] = values[l] ?? new Float32Array(h.width).fill(NaN);
      return out;
    },
  };
}

async function readLines(source: ByteSource, h: VolHeader, firstBscan: number, stride: number, lines: { count: number; offset: number }[], index: number): Promise<(Float32Array | undefined)[]> {
  const spec = lines[index];
  if (!spec || spec.count === 0) return [];
  const at = firstBscan + index * stride + spec.offset;
  const r = await readFields(source, at, spec.count * h.width * 4, `B-scan ${index} segmentation`);
  const out: Float32Array[] = [];
  for (let l = 0; l < spec.count; l++) {
    const values = new Float32Array(h.width);
    for (let x = 0; x < h.width; x++) values[x] = r.f32((l * h.width + x) * 4, 'line');
    out.push(boundaryValues(values, h.height));
  }
  return out;
}

async function readBscan(source: ByteSource, h: VolHeader, firstBscan: number, stride: number, headerBytes: number, index: number): Promise<GreyImage> {
  checkIndex(source.name, index, h.bscans);
  const bytes = await readRange(source, firstBscan + index * stride + headerBytes, h.width * h.height * 4, `B-scan ${index} image`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pixels = new Uint8Array(h.width * h.height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = heidelbergGrey(view.getFloat32(i * 4, true));
  return { width: h.width, height: h.height, pixels };
}

function localizer(source: ByteSource, h: VolHeader): Localizer {
  const scale = (mm: number) => (Number.isFinite(mm) && mm > 0 && mm < 1 ? mm : null);
  return {
    width: h.sloWidth,
    height: h.sloHeight,
    scaleXMm: scale(h.sloScaleXMm),
    scaleYMm: scale(h.sloScaleYMm),
    modality: 'IR (SLO)',
    read: async () => ({
      width: h.sloWidth,
      height: h.sloHeight,
      pixels: Uint8Array.from(await readRange(source, FILE_HEADER_BYTES, h.sloWidth * h.sloHeight, 'SLO image')),
    }),
  };
}

/** A version string as it may appear in a note: printable ASCII only, at most 16 characters. */
function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 16);
}

export const heidelbergVolReader: FormatReader = { id: 'heidelberg-vol', label: 'Heidelberg VOL', detect, open };
