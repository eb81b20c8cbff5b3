import { checkCount, checkImageSize, readFields, readRange } from '../binary';
import { lumaGrey, stretch16 } from '../display';
import { FormatError } from '../errors';
import { jpeg2000Size } from '../jpeg2000';
import { withPatient } from '../patient';
import { checkIndex, kindFromCount, makeScale } from '../series-parts';
import type { ByteSource, DecodedImage, FormatReader, GreyImage, ImageDecoders, Localizer, OctSeries, SeriesInput } from '../types';
import { chunkFields, findChunk, foctKind, readFoct, type FoctFile, type TopconChunk } from './chunks';
import { readTopconContours, readTopconMeta } from './meta';

/**
 * Topcon 3D OCT (.fda: B-scans as one compressed image per slice in @IMG_JPEG, JPEG 2000 on the
 * 3D OCT-1000/2000; .fds: raw 16-bit in @IMG_SCAN_03). Scale from @PARAM_SCAN_04, eye and date from
 * @CAPTURE_INFO_02, the device's layers from @CONTOUR_INFO.
 */

interface BscanStore {
  width: number;
  height: number;
  count: number;
  read(index: number, decoders: ImageDecoders | undefined): Promise<GreyImage>;
  chunk: string;
}

/** @IMG_JPEG: a 25-byte header (width at 9, height at 13, slices at 17), then per slice a u32 size and the image. */
async function compressedSlices(source: ByteSource, chunk: TopconChunk): Promise<BscanStore> {
  const r = await chunkFields(source, chunk, 25);
  const width = r.u32(9, 'width');
  const height = r.u32(13, 'height');
  const count = r.u32(17, 'number of slices');
  checkImageSize(source.name, '@IMG_JPEG width/height', width, height);
  checkCount(source.name, '@IMG_JPEG number of slices', count);
  const slices: { offset: number; size: number }[] = [];
  let pos = chunk.offset + 25;
  const end = chunk.offset + chunk.size;
  for (let i = 0; i < count; i++) {
    if (pos + 4 > end) throw new FormatError(source.name, `@IMG_JPEG slice ${i} size`, `runs past the end of the chunk (${count} slices declared)`, 'truncated');
    const size = (await readFields(source, pos, 4, `@IMG_JPEG slice ${i}`)).u32(0, 'size');
    if (size === 0 || pos + 4 + size > end) throw new FormatError(source.name, `@IMG_JPEG slice ${i}`, `${size} bytes at offset ${pos + 4} do not fit in the chunk`, 'truncated');
    slices.push({ offset: pos + 4, size });
    pos += 4 + size;
  }
  return {
    width,
    height,
    count,
    chunk: '@IMG_JPEG',
    read: async (index, decoders) => {
      const slice = slices[index];
      if (!slice) throw new FormatError(source.name, 'B-scan index', `${index} is outside 0..${count - 1}`, 'needs-input');
      const bytes = await readRange(source, slice.offset, slice.size, `@IMG_JPEG slice ${index}`);
      const declared = codecOf(bytes) === 'jpeg2000' ? jpeg2000Size(bytes) : null;
      if (declared && (declared.width !== width || declared.height !== height)) {
        throw new FormatError(source.name, `@IMG_JPEG slice ${index}`, `declares ${declared.width} x ${declared.height}, the header says ${width} x ${height}`);
      }
      const image = await decodeCompressed(source.name, `@IMG_JPEG slice ${index}`, bytes, decoders);
      if (image.width !== width || image.height !== height) {
        throw new FormatError(source.name, `@IMG_JPEG slice ${index}`, `decodes to ${image.width} x ${image.height}, the header says ${width} x ${height}`);
      }
      return toGrey(image);
    },
  };
}

/** @IMG_SCAN_03 / @IMG_MOT_COMP_03: a 22-byte header (width at 1, height at 5, bits at 9, slices at 13), then raw samples. */
async function rawSlices(source: ByteSource, chunk: TopconChunk): Promise<BscanStore> {
  const r = await chunkFields(source, chunk, 22);
  const width = r.u32(1, 'width');
  const height = r.u32(5, 'height');
  const bits = r.u32(9, 'bits per pixel');
  const count = r.u32(13, 'number of slices');
  checkImageSize(source.name, `${chunk.name} width/height`, width, height);
  checkCount(source.name, `${chunk.name} number of slices`, count);
  if (bits !== 16) throw new FormatError(source.name, `${chunk.name} bits per pixel`, `${bits} bits per pixel is not supported (16 expected)`, 'unsupported');
  const sliceBytes = width * height * 2;
  if (22 + count * sliceBytes > chunk.size) {
    throw new FormatError(source.name, chunk.name, `${count} slices of ${width} x ${height} x 16 bits need ${22 + count * sliceBytes} bytes; the chunk has ${chunk.size} (truncated?)`, 'truncated');
  }
  return {
    width,
    height,
    count,
    chunk: chunk.name,
    read: async (index) => {
      checkIndex(source.name, index, count);
      const bytes = await readRange(source, chunk.offset + 22 + index * sliceBytes, sliceBytes, `${chunk.name} slice ${index}`);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const values = new Uint16Array(width * height);
      for (let i = 0; i < values.length; i++) values[i] = view.getUint16(i * 2, true);
      return { width, height, pixels: stretch16(values) };
    },
  };
}

function codecOf(bytes: Uint8Array): 'jpeg2000' | 'jpeg' | null {
  if (bytes[0] === 0xff && bytes[1] === 0x4f && bytes[2] === 0xff && bytes[3] === 0x51) return 'jpeg2000'; // J2K codestream
  if (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0 && bytes[3] === 0x0c && bytes[4] === 0x6a && bytes[5] === 0x50) return 'jpeg2000'; // JP2 box
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'jpeg';
  return null;
}

async function decodeCompressed(file: string, field: string, bytes: Uint8Array, decoders: ImageDecoders | undefined): Promise<DecodedImage> {
  const codec = codecOf(bytes);
  if (!codec) throw new FormatError(file, field, 'is neither JPEG 2000 nor JPEG');
  const decoder = decoders?.[codec];
  if (!decoder) throw new FormatError(file, field, `needs a ${codec === 'jpeg2000' ? 'JPEG 2000' : 'JPEG'} decoder, which this host did not provide`, 'unsupported');
  try {
    return await decoder(bytes);
  } catch (error) {
    throw new FormatError(file, field, `is not a valid ${codec === 'jpeg2000' ? 'JPEG 2000' : 'JPEG'} image (${error instanceof Error ? error.message.slice(0, 120) : 'decode failed'})`);
  }
}

function toGrey(image: DecodedImage): GreyImage {
  const pixels =
    image.data instanceof Uint16Array && image.channels === 1 ? stretch16(image.data) : lumaGrey(image.data, image.width, image.height, image.channels);
  return { width: image.width, height: image.height, pixels };
}

/**
 * The localizer: the infrared image (@IMG_TRC_02) when present, else the colour fundus photo
 * (@IMG_FUNDUS in .fda, @IMG_OBS in .fds); compressed (JPEG / JPEG 2000) or raw interleaved 8-bit.
 */
async function topconLocalizer(source: ByteSource, foct: FoctFile, decoders: ImageDecoders | undefined): Promise<Localizer | null> {
  const candidates: { name: string; modality: string; sizeAt: number; dataAt: number }[] = [
    { name: '@IMG_TRC_02', modality: 'IR', sizeAt: 17, dataAt: 21 },
    { name: '@IMG_FUNDUS', modality: 'colour fundus', sizeAt: 20, dataAt: 24 },
    { name: '@IMG_OBS', modality: 'colour fundus', sizeAt: 17, dataAt: 21 },
  ];
  for (const c of candidates) {
    const chunk = findChunk(foct, c.name);
    if (!chunk) continue;
    const r = await chunkFields(source, chunk, c.dataAt);
    const width = r.u32(0, 'width');
    const height = r.u32(4, 'height');
    const bits = r.u32(8, 'bits per pixel');
    const size = r.u32(c.sizeAt, 'size');
    checkImageSize(source.name, `${c.name} width/height`, width, height);
    if (c.dataAt + size > chunk.size) throw new FormatError(source.name, c.name, `image of ${size} bytes does not fit in the ${chunk.size}-byte chunk`, 'truncated');
    const channels = Math.max(1, Math.floor(bits / 8));
    return {
      width,
      height,
      scaleXMm: null,
      scaleYMm: null,
      modality: c.modality,
      read: async () => {
        const bytes = await readRange(source, chunk.offset + c.dataAt, size, `${c.name} image`);
        if (codecOf(bytes)) {
          const image = await decodeCompressed(source.name, `${c.name} image`, bytes, decoders);
          return toGrey(image);
        }
        if (size < width * height * channels) throw new FormatError(source.name, `${c.name} image`, `${size} bytes are fewer than ${width} x ${height} x ${channels}`, 'truncated');
        return { width, height, pixels: lumaGrey(bytes, width, height, channels) };
      },
    };
  }
  return null;
}

async function openTopcon(input: SeriesInput, expected: 'fda' | 'fds'): Promise<OctSeries> {
  const { source, decoders } = input;
  const notes: string[] = [];
  const foct = await readFoct(source);
  let store: BscanStore;
  const jpeg = findChunk(foct, '@IMG_JPEG');
  const raw = findChunk(foct, expected === 'fds' ? '@IMG_SCAN_03' : '@IMG_MOT_COMP_03');
  if (expected === 'fda' && jpeg) store = await compressedSlices(source, jpeg);
  else if (raw) store = await rawSlices(source, raw);
  else throw new FormatError(source.name, expected === 'fda' ? '@IMG_JPEG' : '@IMG_SCAN_03', 'the file holds no B-scan chunk', 'corrupt');
  if (store.chunk !== '@IMG_JPEG') notes.push('Display: raw 16-bit samples stretched linearly between each B-scan\'s minimum and maximum.');

  const meta = await readTopconMeta(source, foct, notes);
  const scan = meta.scan;
  const deviceBoundaries = await readTopconContours(source, foct, store.height, store.count, notes);
  if (store.count === 1) notes.push('The file holds one B-scan: its position on the localizer is not stored with it.');
  const series: OctSeries = {
    format: expected === 'fda' ? 'topcon-fda' : 'topcon-fds',
    formatLabel: expected === 'fda' ? 'Topcon FDA' : 'Topcon FDS',
    version: foct.version,
    kind: kindFromCount(store.count),
    bscanCount: store.count,
    width: store.width,
    height: store.height,
    dimensionsSource: 'file',
    bscan: (index) => store.read(index, decoders),
    bscanMeta: Array.from({ length: store.count }, () => ({ geometry: null, quality: null })),
    localizer: await topconLocalizer(source, foct, decoders),
    scale: makeScale({
      axial: scan ? { um: scan.zUm, source: '@PARAM_SCAN_04 z resolution' } : null,
      lateral: scan ? { um: (scan.xMm * 1000) / store.width, source: '@PARAM_SCAN_04 x dimension / width' } : null,
      betweenBscans: scan && store.count > 1 ? { um: (scan.yMm * 1000) / store.count, source: '@PARAM_SCAN_04 y dimension / B-scans' } : null,
    }),
    eye: meta.eye,
    acquired: meta.acquired,
    device: meta.model ? `Topcon ${meta.model}` : 'Topcon',
    protocol: foct.kind === 'FAA' ? 'external fixation' : foct.kind === 'FDA' ? 'macula fixation' : null,
    deviceBoundaries,
    notes,
  };
  return withPatient(series, meta.patient);
}

export const topconFdaReader: FormatReader = {
  id: 'topcon-fda',
  label: 'Topcon FDA',
  detect: async ({ head }) => {
    const kind = foctKind(head);
    return kind === 'FDA' || kind === 'FAA';
  },
  open: (input) => openTopcon(input, 'fda'),
};

export const topconFdsReader: FormatReader = {
  id: 'topcon-fds',
  label: 'Topcon FDS',
  detect: async ({ head }) => foctKind(head) === 'FDS',
  open: (input) => openTopcon(input, 'fds'),
};
