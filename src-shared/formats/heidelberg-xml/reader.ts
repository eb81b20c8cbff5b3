import { checkCount, checkImageSize, readRange } from '../binary';
import { fieldsToIso } from '../dates';
import { firstChannelGrey } from '../display';
import { FormatError } from '../errors';
import { withPatient } from '../patient';
import { checkIndex, geometryFrom, hasAnyValue, kindFromCount, makeScale, meanSpacingMm } from '../series-parts';
import type { BscanMeta, ByteSource, DeviceBoundaries, EyeInfo, FormatReader, GreyImage, ImageDecoder, Localizer, OctSeries, SeriesInput, SeriesKind, SiblingFiles } from '../types';
import { pairImages, pairingReport, type PairedFile } from './pairing';
import { attribute, child, children, MAX_XML_BYTES, number, parseXml, text, type XmlNode } from './xml';

/**
 * Heidelberg Heyex XML export: an index (one <Image> per B-scan, plus the localizer) next to one TIFF
 * per image. Scale, positions, quality and the device's SegLine boundaries come from the XML; pixels
 * from the TIFFs, decoded by the host's TIFF decoder and read on demand.
 */

function xmlRoot(head: Uint8Array): boolean {
  const start = new TextDecoder('latin1').decode(head.subarray(0, 1024)).replace(/^\uFEFF/, '').trimStart();
  const body = start.replace(/^<\?xml[^>]*\?>\s*/, '');
  return body.startsWith('<HEDX') || (body.startsWith('<BODY>') && /<(Patient|ExportType)\b/.test(start));
}

function seriesOf(file: string, doc: XmlNode, index: number): { patient?: XmlNode; study?: XmlNode; series: XmlNode } {
  const body = child(doc, 'HEDX/BODY') ?? child(doc, 'BODY');
  const patient = child(body, 'Patient');
  const study = child(patient, 'Study');
  const all = children(study, 'Series');
  const series = all[index];
  if (!series) throw new FormatError(file, 'Series', all.length === 0 ? 'the XML has no BODY/Patient/Study/Series' : `series ${index} is outside 0..${all.length - 1}`, all.length ? 'needs-input' : 'corrupt');
  return { patient, study, series };
}

interface XmlImage {
  node: XmlNode;
  number: string;
  width: number;
  height: number;
}

function imageOf(file: string, node: XmlNode, position: number): XmlImage {
  const context = child(node, 'OphthalmicAcquisitionContext');
  const width = number(context, 'Width') ?? NaN;
  const height = number(context, 'Height') ?? NaN;
  const id = text(node, 'ImageNumber') ?? text(node, 'ID') ?? String(position);
  const label = /^\d{1,9}$/.test(id) ? id : String(position);
  checkImageSize(file, `Image ${label} Width/Height`, width, height);
  return { node, number: label, width, height };
}

const hasStart = (node: XmlNode) => number(node, 'OphthalmicAcquisitionContext/Start/Coord/X') !== null;
const typeOf = (node: XmlNode) => text(node, 'ImageType/Type')?.toUpperCase();

function kindOf(type: string | undefined, count: number, notes: string[]): SeriesKind {
  const t = (type ?? '').toLowerCase();
  if (t.includes('volume')) return 'volume';
  if (t.includes('circle')) return 'circle';
  if (t.includes('radial') || t.includes('star')) return 'radial';
  if (t.includes('line')) return 'line';
  notes.push(`Series type "${(type ?? 'none').slice(0, 40)}" is not a known pattern: kind decided by the B-scan count (${count}).`);
  return kindFromCount(count);
}

function eyeOf(series: XmlNode, firstImage: XmlNode | undefined): EyeInfo | null {
  for (const [node, field] of [
    [series, 'Series/Laterality'],
    [firstImage, 'Image/Laterality'],
  ] as const) {
    const value = text(node, 'Laterality')?.trim().toUpperCase();
    if (value === 'R' || value === 'OD') return { value: 'OD', source: 'file', field };
    if (value === 'L' || value === 'OS') return { value: 'OS', source: 'file', field };
  }
  return null;
}

function dateOf(node: XmlNode | undefined, path: string) {
  const date = child(node, path);
  const year = number(date, 'Year');
  const month = number(date, 'Month');
  const day = number(date, 'Day');
  return year !== null && month !== null && day !== null ? { year, month, day } : null;
}

function acquiredOf(study: XmlNode | undefined, series: XmlNode, firstBscan: XmlNode | undefined): string | null {
  const date = dateOf(series, 'ExamDate/Date') ?? dateOf(series, 'ReferenceSeries/ExamDate/Date') ?? dateOf(study, 'StudyDate/Date');
  if (!date) return null;
  const time = child(firstBscan, 'AcquisitionTime/Time');
  const hour = number(time, 'Hour');
  const minute = number(time, 'Minute');
  const second = number(time, 'Second');
  if (hour === null || minute === null) return fieldsToIso(date);
  const bias = number(time, 'UTCBias');
  return fieldsToIso({ ...date, hour, minute, second: second ?? 0 }, bias ?? undefined);
}

/** SegLine arrays: pixel rows per A-scan, 3e38 where the device marked none. */
function segLines(node: XmlNode, width: number, height: number, skipped: Set<string>): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const line of children(child(node, 'Segmentation'), 'SegLine')) {
    const name = (text(line, 'Name') ?? '').trim().slice(0, 32);
    const array = child(line, 'Array');
    const raw = typeof array?.['#text'] === 'string' ? (array['#text'] as string) : (text(line, 'Array') ?? '');
    const values = raw.trim() ? raw.trim().split(/\s+/) : [];
    if (!name || values.length !== width || (attribute(array, 'n') !== undefined && Number(attribute(array, 'n')) !== width)) {
      skipped.add(name || '?');
      continue;
    }
    const data = new Float32Array(width);
    for (let x = 0; x < width; x++) {
      const v = Number(values[x]);
      data[x] = Number.isFinite(v) && v >= 0 && v <= height ? v : NaN;
    }
    out.set(name, data);
  }
  return out;
}

async function decodeTiff(siblings: SiblingFiles, tiff: ImageDecoder, paired: PairedFile, expected: { width: number; height: number }, what: string, file: string): Promise<GreyImage> {
  if (!paired.path) throw new FormatError(file, what, `no ${paired.wanted} in the export folder`, 'missing-file');
  const source: ByteSource = await siblings.open(paired.path);
  const bytes = await readRange(source, 0, source.size, what);
  let image;
  try {
    image = await tiff(bytes);
  } catch (error) {
    throw new FormatError(source.name, what, `is not a readable TIFF (${error instanceof Error ? error.message.slice(0, 120) : 'decode failed'})`);
  }
  if (image.width !== expected.width || image.height !== expected.height) {
    throw new FormatError(source.name, what, `is ${image.width} x ${image.height}, the XML says ${expected.width} x ${expected.height}`);
  }
  return { width: image.width, height: image.height, pixels: firstChannelGrey(image.data, image.width, image.height, image.channels) };
}

async function open(input: SeriesInput): Promise<OctSeries> {
  const { source, siblings } = input;
  const file = source.name;
  const notes: string[] = [];
  if (source.size > MAX_XML_BYTES) throw new FormatError(file, 'XML', `${source.size} bytes is more than the ${MAX_XML_BYTES} accepted`, 'too-large');
  const doc = parseXml(file, await readRange(source, 0, source.size, 'XML'));
  const { patient, study, series } = seriesOf(file, doc, input.seriesIndex ?? 0);
  const nodes = children(series, 'Image');
  const typed = nodes.some((n) => typeOf(n) !== undefined);
  const isBscan = (n: XmlNode) => (typed ? typeOf(n) === 'OCT' : hasStart(n));
  const isLocalizer = (n: XmlNode) => (typed ? typeOf(n) === 'LOCALIZER' : !hasStart(n));
  const bscans = nodes.filter(isBscan).map((n, i) => imageOf(file, n, i + 1));
  checkCount(file, 'B-scan images', bscans.length);
  const localizerNode = nodes.find(isLocalizer);
  const localizerImage = localizerNode ? imageOf(file, localizerNode, 0) : null;
  const declared = number(series, 'NumImages');
  if (declared !== null && declared !== nodes.length) notes.push(`NumImages says ${declared}, the XML lists ${nodes.length} images.`);
  const first = bscans[0] as XmlImage;
  if (bscans.some((b) => b.width !== first.width || b.height !== first.height)) throw new FormatError(file, 'Image Width/Height', 'the B-scans differ in size');

  if (!siblings) throw new FormatError(file, 'export folder', 'this host gave the reader no access to the export folder', 'needs-input');
  const tiff = input.decoders?.tiff;
  if (!tiff) throw new FormatError(file, 'TIFF images', 'this host provided no TIFF decoder', 'unsupported');
  const listing = await siblings.list();
  const wanted = [...bscans, ...(localizerImage ? [localizerImage] : [])].map((img) => ({ imageNumber: img.number, examUrl: text(img.node, 'ImageData/ExamURL') }));
  const paired = pairImages(wanted, listing);
  const bscanFiles = paired.slice(0, bscans.length);
  const localizerFile = localizerImage ? (paired[bscans.length] ?? null) : null;
  const missing = bscanFiles.findIndex((p) => !p.path);
  if (missing >= 0) {
    const img = bscans[missing] as XmlImage;
    throw new FormatError(file, `Image ${img.number} file`, `no ${bscanFiles[missing]?.wanted} in the export folder (paired by ${bscanFiles[missing]?.rule})`, 'missing-file');
  }
  const pairing = pairingReport(bscanFiles, localizerFile);

  const seriesType = text(series, 'Type');
  const kind = kindOf(seriesType, bscans.length, notes);
  const meta: BscanMeta[] = bscans.map((b) => {
    const c = child(b.node, 'OphthalmicAcquisitionContext');
    const start = { x: number(c, 'Start/Coord/X') ?? NaN, y: number(c, 'Start/Coord/Y') ?? NaN };
    const end = { x: number(c, 'End/Coord/X') ?? NaN, y: number(c, 'End/Coord/Y') ?? NaN };
    const centre = { x: number(c, 'Center/Coord/X') ?? NaN, y: number(c, 'Center/Coord/Y') ?? NaN };
    const hasCentre = Number.isFinite(centre.x) && Number.isFinite(centre.y);
    return { geometry: geometryFrom(kind, start, kind === 'circle' && hasCentre ? centre : end), quality: number(c, 'ImageQuality') };
  });

  const skipped = new Set<string>();
  const lines = bscans.map((b) => segLines(b.node, first.width, first.height, skipped));
  if (skipped.size) notes.push(`SegLines without one value per A-scan were skipped: ${[...skipped].slice(0, 8).join(', ')}.`);
  const names = [...new Set(lines.flatMap((m) => [...m.keys()]))].filter((name) => lines.some((m) => { const v = m.get(name); return v ? hasAnyValue(v) : false; }));
  const deviceBoundaries: DeviceBoundaries | null = names.length
    ? {
        source: 'Heidelberg XML SegLine',
        names,
        bscanCount: bscans.length,
        width: first.width,
        read: async (index) => {
          checkIndex(file, index, bscans.length);
          const out: Record<string, Float32Array> = {};
          for (const name of names) out[name] = Float32Array.from(lines[index]?.get(name) ?? new Float32Array(first.width).fill(NaN));
          return out;
        },
      }
    : null;

  const context = child(first.node, 'OphthalmicAcquisitionContext');
  const scaleX = number(context, 'ScaleX');
  const scaleY = number(context, 'ScaleY');
  if (bscans.some((b) => number(child(b.node, 'OphthalmicAcquisitionContext'), 'ScaleX') !== scaleX)) notes.push('ScaleX differs between B-scans: the first B-scan\'s is used.');
  const spacing = bscans.length > 1 ? meanSpacingMm(meta.map((m) => m.geometry)) : null;
  const equipment = child(series, 'GeneralEquipment');
  const device = [text(equipment, 'Manufacturer'), text(equipment, 'ManufacturerModelName')].filter(Boolean).join(' ') || null;
  const procedure = text(series, 'ModalityProcedure');

  const localizer: Localizer | null = localizerImage
    ? {
        width: localizerImage.width,
        height: localizerImage.height,
        scaleXMm: number(child(localizerImage.node, 'OphthalmicAcquisitionContext'), 'ScaleX'),
        scaleYMm: number(child(localizerImage.node, 'OphthalmicAcquisitionContext'), 'ScaleY'),
        modality: text(localizerImage.node, 'ImageType/LightSource') ?? 'IR',
        ...(localizerFile?.path ? {} : { missing: `no ${localizerFile?.wanted ?? 'localizer file'} in the export folder` }),
        read: () => decodeTiff(siblings, tiff, localizerFile ?? { path: null, rule: null, wanted: 'localizer file' }, localizerImage, 'localizer TIFF', file),
      }
    : null;
  if (localizer?.missing) notes.push(`The localizer image (${localizerImage?.width} x ${localizerImage?.height}) is described but its TIFF is missing.`);

  const result: OctSeries = {
    format: 'heidelberg-xml',
    formatLabel: 'Heidelberg XML export',
    version: text(doc, 'HEDX/BODY/SWVersion/Version') ?? null,
    kind,
    bscanCount: bscans.length,
    width: first.width,
    height: first.height,
    dimensionsSource: 'file',
    bscan: (index) => {
      checkIndex(file, index, bscans.length);
      return decodeTiff(siblings, tiff, bscanFiles[index] as PairedFile, first, `B-scan ${index} TIFF`, file);
    },
    bscanMeta: meta,
    localizer,
    scale: makeScale({
      axial: scaleY !== null ? { um: scaleY * 1000, source: 'XML ScaleY' } : null,
      lateral: scaleX !== null ? { um: scaleX * 1000, source: 'XML ScaleX' } : null,
      betweenBscans: spacing !== null ? { um: spacing * 1000, source: 'XML B-scan Start positions (mean spacing)' } : null,
    }),
    eye: eyeOf(series, bscans[0]?.node),
    acquired: acquiredOf(study, series, first.node),
    device,
    protocol: [seriesType, procedure].filter(Boolean).join(' / ') || null,
    deviceBoundaries,
    pairing,
    notes,
  };
  const birth = dateOf(patient, 'Birthdate/Date');
  return withPatient(result, {
    id: text(patient, 'PatientID'),
    name: [text(patient, 'FirstNames'), text(patient, 'LastName')].filter(Boolean).join(' '),
    birthDate: birth ? (fieldsToIso(birth) ?? undefined) : undefined,
    sex: text(patient, 'Sex'),
  });
}

export const heidelbergXmlReader: FormatReader = {
  id: 'heidelberg-xml',
  label: 'Heidelberg XML export',
  detect: async ({ head }) => xmlRoot(head),
  open,
};
