import { checkCount, checkImageSize, FieldReader, readFields, readRange } from '../binary';
import { fileTimeToIso } from '../dates';
import { e2eGreyTable } from '../display';
import { FormatError } from '../errors';
import { heidelbergLineName } from '../heidelberg-lines';
import { withPatient } from '../patient';
import { boundaryValues, checkIndex, hasAnyValue, heidelbergKind, kindFromCount, makeScale } from '../series-parts';
import type { ByteSource, DeviceBoundaries, EyeInfo, FormatReader, GreyImage, Localizer, OctSeries, SeriesInput } from '../types';
import { CONTAINER_HEADER_BYTES, e2eBase, indexE2e, type E2eEntry } from './containers';

/**
 * Heidelberg E2E: one series (volume, line or circle) of the file's containers. B-scans are the
 * custom unsigned 16-bit float (see display.ts) shown through Heidelberg's display transform; the eye
 * comes from the laterality chunk (type 11), the axial scale from the B-scan metadata (type 10004).
 * The lateral scale is not known for these files: it stays unknown, never guessed.
 */

const TYPE = { patient: 9, laterality: 11, device: 9001, scanPattern: 9006, bscanMeta: 10004, layer: 10019, image: 1073741824 } as const;
const IMAGE = { localizer: 33620481, bscan: 35652097 } as const;
const IMAGE_HEADER_BYTES = 20;

interface ImageRef {
  entry: E2eEntry;
  width: number;
  height: number;
}

const seriesKey = (e: E2eEntry) => `${e.patientId}/${e.studyId}/${e.seriesId}`;

async function imageRef(source: ByteSource, entry: E2eEntry, expectedType: number, what: string): Promise<ImageRef> {
  const r = await itemFields(source, entry, IMAGE_HEADER_BYTES, what);
  const type = r.u32(4, 'type');
  const count = r.u32(8, 'n_values');
  const height = r.u32(12, 'height');
  const width = r.u32(16, 'width');
  if (type !== expectedType) throw new FormatError(source.name, `${what} type`, `${type} is not the expected image type ${expectedType}`, 'unsupported');
  checkImageSize(source.name, `${what} width/height`, width, height);
  if (count !== width * height) throw new FormatError(source.name, `${what} n_values`, `${count} is not ${width} x ${height}`);
  const bytes = IMAGE_HEADER_BYTES + count * (expectedType === IMAGE.bscan ? 2 : 1);
  if (bytes > entry.size) {
    throw new FormatError(source.name, what, `${width} x ${height} samples need ${bytes} bytes; the container holds ${entry.size}${entry.clipped ? ' (cut short)' : ''}`, 'truncated');
  }
  return { entry, width, height };
}

/** The item's first `length` bytes, within the container. */
function itemFields(source: ByteSource, entry: E2eEntry, length: number, what: string): Promise<FieldReader> {
  if (length > entry.size) throw new FormatError(source.name, what, `container of ${entry.size} bytes is shorter than ${length}`, 'truncated');
  return readFields(source, entry.start + CONTAINER_HEADER_BYTES, length, what);
}

/** Heidelberg's text items: u32 count, u32 characters per string, then UTF-16 strings. */
async function firstText(source: ByteSource, entry: E2eEntry | undefined): Promise<string | null> {
  if (!entry || entry.size < 8) return null;
  const r = await itemFields(source, entry, Math.min(entry.size, 4096), 'text item');
  const count = Math.min(r.u32(0, 'n_strings'), 16);
  const chars = r.u32(4, 'string_size');
  for (let s = 0; s < count; s++) {
    let text = '';
    for (let c = 0; c < chars; c++) {
      const at = 8 + (s * chars + c) * 2;
      if (at + 2 > r.length) break;
      const code = r.u16(at, 'string');
      if (code === 0) break;
      text += String.fromCharCode(code);
    }
    const clean = text.replace(/[^\x20-\x7e\u00a0-\u024f]/g, '').trim();
    if (clean) return clean.slice(0, 120);
  }
  return null;
}

async function open(input: SeriesInput): Promise<OctSeries> {
  const { source } = input;
  const file = source.name;
  const notes: string[] = [];
  const head = await readRange(source, 0, Math.min(source.size, 4096), 'version header');
  const index = await indexE2e(source, head, notes);
  const bscanEntries = index.entries.filter((e) => e.type === TYPE.image && e.ind === 1);
  const keys = [...new Set(bscanEntries.map(seriesKey))];
  if (keys.length === 0) throw new FormatError(file, 'B-scans', 'the file holds no B-scan image', 'corrupt');
  const chosen = input.seriesIndex ?? 0;
  const key = keys[chosen];
  if (!key) throw new FormatError(file, 'series index', `${chosen} is outside 0..${keys.length - 1}`, 'needs-input');
  if (keys.length > 1) notes.push(`The file holds ${keys.length} series with B-scans; series ${chosen} is opened.`);
  const inSeries = index.entries.filter((e) => seriesKey(e) === key);

  const slices = bscanEntries.filter((e) => seriesKey(e) === key).sort((a, b) => a.sliceId - b.sliceId);
  checkCount(file, 'B-scan count', slices.length);
  const refs: ImageRef[] = [];
  for (const [i, entry] of slices.entries()) refs.push(await imageRef(source, entry, IMAGE.bscan, `B-scan ${i} image`));
  const first = refs[0] as ImageRef;
  if (refs.some((r) => r.width !== first.width || r.height !== first.height)) throw new FormatError(file, 'B-scan sizes', 'the B-scans differ in size');

  const meta = await bscanMetadata(source, inSeries, slices);
  let kind = kindFromCount(refs.length);
  let protocol = await firstText(source, inSeries.find((e) => e.type === TYPE.scanPattern));
  if (meta) {
    const k = heidelbergKind(meta.scanPattern, refs.length, notes);
    kind = k.kind;
    protocol ??= k.protocol;
  } else {
    notes.push(`No B-scan metadata (type 10004): kind decided by the B-scan count (${refs.length}); axial scale and date unknown.`);
  }
  notes.push('E2E B-scan positions are not read (their unit is not documented); the lateral scale is not stored in E2E files.');

  const series: OctSeries = {
    format: 'heidelberg-e2e',
    formatLabel: 'Heidelberg E2E',
    version: String(index.version),
    kind,
    bscanCount: refs.length,
    width: first.width,
    height: first.height,
    dimensionsSource: 'file',
    bscan: (i) => readBscan(source, refs, i),
    bscanMeta: refs.map((_, i) => ({ geometry: null, quality: meta?.quality[i] ?? null })),
    localizer: await localizer(source, inSeries, notes),
    scale: makeScale({
      axial: meta ? { um: meta.scaleYMm * 1000, source: 'E2E B-scan metadata scale_y' } : null,
      lateral: null,
      betweenBscans: null,
    }),
    eye: await laterality(source, index.entries, inSeries),
    acquired: meta?.acquired ?? null,
    device: (await firstText(source, index.entries.find((e) => e.type === TYPE.device))) ?? 'Heidelberg Engineering',
    protocol,
    deviceBoundaries: await layers(source, inSeries, slices, first),
    notes,
  };
  return withPatient(series, await patient(source, index.entries, notes));
}

async function readBscan(source: ByteSource, refs: ImageRef[], index: number): Promise<GreyImage> {
  checkIndex(source.name, index, refs.length);
  const ref = refs[index] as ImageRef;
  const count = ref.width * ref.height;
  const bytes = await readRange(source, ref.entry.start + CONTAINER_HEADER_BYTES + IMAGE_HEADER_BYTES, count * 2, `B-scan ${index} image`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const table = e2eGreyTable();
  const pixels = new Uint8Array(count);
  for (let i = 0; i < count; i++) pixels[i] = table[view.getUint16(i * 2, true)] ?? 0;
  return { width: ref.width, height: ref.height, pixels };
}

interface SeriesMeta {
  scanPattern: number;
  scaleYMm: number;
  acquired: string | null;
  quality: (number | null)[];
}

/** Type 10004 per slice (LibE2E's layout): scale_y at 36, scan pattern at 72, acquisition time at 88, quality at 100. */
async function bscanMetadata(source: ByteSource, inSeries: E2eEntry[], slices: E2eEntry[]): Promise<SeriesMeta | null> {
  const metas = inSeries.filter((e) => e.type === TYPE.bscanMeta);
  if (metas.length === 0) return null;
  const bySlice = new Map(metas.map((m) => [m.sliceId, m]));
  const firstMeta = await itemFields(source, metas[0] as E2eEntry, 104, 'B-scan metadata');
  const quality: (number | null)[] = [];
  for (const slice of slices) {
    const m = bySlice.get(slice.sliceId);
    const q = m && m.size >= 104 ? (await itemFields(source, m, 104, 'B-scan metadata')).f32(100, 'quality') : NaN;
    quality.push(Number.isFinite(q) && q < 3e38 ? Math.round(q * 1000) / 1000 : null);
  }
  return {
    scanPattern: firstMeta.u32(72, 'scan_pattern'),
    scaleYMm: firstMeta.f32(36, 'scale_y'),
    acquired: fileTimeToIso(firstMeta.u64(88, 'acquisition time')),
    quality,
  };
}

/** Type 11: the 15th byte is 'R' or 'L'. The series' own chunk first, else one for the whole file. */
async function laterality(source: ByteSource, all: E2eEntry[], inSeries: E2eEntry[]): Promise<EyeInfo | null> {
  const candidates = [...inSeries, ...all].filter((e) => e.type === TYPE.laterality && e.size >= 15);
  for (const entry of candidates) {
    const code = (await itemFields(source, entry, 15, 'laterality')).u8(14, 'laterality');
    if (code === 0x52) return { value: 'OD', source: 'file', field: 'E2E laterality chunk (type 11)' };
    if (code === 0x4c) return { value: 'OS', source: 'file', field: 'E2E laterality chunk (type 11)' };
  }
  return null;
}

async function localizer(source: ByteSource, inSeries: E2eEntry[], notes: string[]): Promise<Localizer | null> {
  const entry = inSeries.find((e) => e.type === TYPE.image && e.ind === 0);
  if (!entry) return null;
  let ref: ImageRef;
  try {
    ref = await imageRef(source, entry, IMAGE.localizer, 'localizer image');
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    notes.push(`The localizer cannot be read (${error.field}: ${error.reason}).`);
    return null;
  }
  return {
    width: ref.width,
    height: ref.height,
    scaleXMm: null,
    scaleYMm: null,
    modality: 'IR',
    read: async () => ({
      width: ref.width,
      height: ref.height,
      pixels: Uint8Array.from(await readRange(source, entry.start + CONTAINER_HEADER_BYTES + IMAGE_HEADER_BYTES, ref.width * ref.height, 'localizer image')),
    }),
  };
}

/** Type 10019 per slice: u32 at 4 is the line id (Heidelberg's order), u32 at 12 the width, floats from 16. */
async function layers(source: ByteSource, inSeries: E2eEntry[], slices: E2eEntry[], size: { width: number; height: number }): Promise<DeviceBoundaries | null> {
  const layerEntries = inSeries.filter((e) => e.type === TYPE.layer && e.size >= 16);
  if (layerEntries.length === 0) return null;
  const bySlice = new Map<number, { id: number; entry: E2eEntry }[]>();
  const filled = new Set<number>();
  for (const entry of layerEntries) {
    const r = await itemFields(source, entry, 16, 'layer');
    const id = r.u32(4, 'id');
    if (r.u32(12, 'width') !== size.width || 16 + size.width * 4 > entry.size) continue;
    const list = bySlice.get(entry.sliceId) ?? [];
    list.push({ id, entry });
    bySlice.set(entry.sliceId, list);
    if (!filled.has(id) && hasAnyValue(await layerValues(source, entry, size))) filled.add(id);
  }
  const ids = [...filled].sort((a, b) => a - b);
  if (ids.length === 0) return null;
  return {
    source: 'Heidelberg E2E layer chunks (type 10019)',
    names: ids.map(heidelbergLineName),
    bscanCount: slices.length,
    width: size.width,
    read: async (index) => {
      checkIndex(source.name, index, slices.length);
      const out: Record<string, Float32Array> = {};
      for (const id of ids) out[heidelbergLineName(id)] = new Float32Array(size.width).fill(NaN);
      for (const { id, entry } of bySlice.get((slices[index] as E2eEntry).sliceId) ?? []) {
        if (filled.has(id)) out[heidelbergLineName(id)] = await layerValues(source, entry, size);
      }
      return out;
    },
  };
}

async function layerValues(source: ByteSource, entry: E2eEntry, size: { width: number; height: number }): Promise<Float32Array> {
  const r = await readFields(source, entry.start + CONTAINER_HEADER_BYTES + 16, size.width * 4, 'layer values');
  const values = new Float32Array(size.width);
  for (let x = 0; x < size.width; x++) values[x] = r.f32(x * 4, 'value');
  return boundaryValues(values, size.height);
}

/** Type 9: first name (31), surname (66), birth date (u32, encoding disputed: not read), sex, patient id (25). */
async function patient(source: ByteSource, all: E2eEntry[], notes: string[]) {
  const entry = all.find((e) => e.type === TYPE.patient && e.size >= 127);
  if (!entry) return {};
  const r = await itemFields(source, entry, 127, 'patient');
  notes.push('The E2E birth date encoding is not settled (OCT-Converter, LibE2E disagree): not read.');
  const sex = r.text(101, 1, 'sex');
  return {
    name: [r.text(0, 31, 'first name'), r.text(31, 66, 'surname')].filter(Boolean).join(' '),
    id: r.text(102, 25, 'patient id'),
    sex: sex === 'M' || sex === 'F' ? sex : undefined,
  };
}

export const heidelbergE2eReader: FormatReader = {
  id: 'heidelberg-e2e',
  label: 'Heidelberg E2E',
  detect: async ({ head }) => e2eBase(head) !== null && head.length >= 88,
  open,
};
