import { checkImageSize, readFields } from '../binary';
import { fieldsToIso } from '../dates';
import { FormatError } from '../errors';
import type { ByteSource, DeviceBoundaries, EyeInfo, PatientFields } from '../types';
import { chunkFields, findChunk, findChunks, type FoctFile, type TopconChunk } from './chunks';

/** The metadata chunks of a FOCT file, each read only when present and long enough. */

export interface TopconMeta {
  eye: EyeInfo | null;
  acquired: string | null;
  model: string | null;
  /** @PARAM_SCAN_04: scan width and length in mm, axial resolution in µm. */
  scan: { xMm: number; yMm: number; zUm: number } | null;
  patient: PatientFields;
}

export async function readTopconMeta(source: ByteSource, foct: FoctFile, notes: string[]): Promise<TopconMeta> {
  const meta: TopconMeta = { eye: null, acquired: null, model: null, scan: null, patient: {} };
  const capture = findChunk(foct, '@CAPTURE_INFO_02');
  if (capture && capture.size >= 118) {
    // u8 eye (0 right, 1 left), u8 scan mode, 104 bytes, then six u16: the acquisition date and time.
    const r = await chunkFields(source, capture, 118);
    const eye = r.u8(0, 'eye');
    meta.eye = eye === 0 ? { value: 'OD', source: 'file', field: '@CAPTURE_INFO_02 eye' } : eye === 1 ? { value: 'OS', source: 'file', field: '@CAPTURE_INFO_02 eye' } : null;
    const u = (i: number) => r.u16(106 + i * 2, 'acquisition date');
    meta.acquired = fieldsToIso({ year: u(0), month: u(1), day: u(2), hour: u(3), minute: u(4), second: u(5) });
  } else {
    notes.push('No @CAPTURE_INFO_02 chunk: eye and date unknown.');
  }
  const hw = findChunk(foct, '@HW_INFO_03');
  if (hw && hw.size >= 16) meta.model = (await chunkFields(source, hw, 16)).text(0, 16, 'model name') || null;
  const param = findChunk(foct, '@PARAM_SCAN_04');
  if (param && param.size >= 36) {
    // 12 bytes (fixation, mirror position, polarity), then f64 x mm, f64 y mm, f64 z µm.
    const r = await chunkFields(source, param, 36);
    meta.scan = { xMm: r.f64(12, 'x dimension mm'), yMm: r.f64(20, 'y dimension mm'), zUm: r.f64(28, 'z resolution um') };
  } else {
    notes.push('No @PARAM_SCAN_04 chunk: the scale is unknown.');
  }
  const patient = findChunk(foct, '@PATIENT_INFO_02');
  if (patient && patient.size >= 111) {
    const r = await chunkFields(source, patient, 111);
    const name = [r.text(32, 32, 'given name'), r.text(64, 32, 'surname')].filter(Boolean).join(' ');
    const sex = r.u8(104, 'sex');
    meta.patient = {
      id: r.text(0, 32, 'patient id'),
      name,
      sex: sex === 1 ? 'M' : sex === 2 ? 'F' : undefined,
      birthDate: fieldsToIso({ year: r.u16(105, 'birth year'), month: r.u16(107, 'birth month'), day: r.u16(109, 'birth day') }) ?? undefined,
    };
  } else if (findChunk(foct, '@PATIENT_INFO_03')) {
    notes.push('Patient fields are in the obfuscated @PATIENT_INFO_03 chunk and are not read.');
  }
  return meta;
}

/** Layer names Topcon's MULTILAYERS contours stand for (OCT-Converter's table); other ids stay as stored. */
const MULTILAYER_NAMES: Record<string, string> = {
  MULTILAYERS_1: 'ILM',
  MULTILAYERS_2: 'RNFL_GCL',
  MULTILAYERS_3: 'GCL_IPL',
  MULTILAYERS_4: 'IPL_INL',
  MULTILAYERS_5: 'MZ_EZ',
  MULTILAYERS_6: 'IZ_RPE',
  MULTILAYERS_7: 'BM',
  MULTILAYERS_8: 'INL_OPL',
  MULTILAYERS_9: 'ELM',
  MULTILAYERS_10: 'CSI',
};

interface Contour {
  name: string;
  chunk: TopconChunk;
  bytesPerValue: 2 | 8;
  width: number;
  rows: number;
}

const CONTOUR_HEADER_BYTES = 34;

/**
 * @CONTOUR_INFO layers: one chunk per boundary, a width x (B-scans) grid of heights counted from the
 * bottom of the B-scan (uint16, or float64 for cornea contours), the last B-scan's row first.
 */
export async function readTopconContours(source: ByteSource, foct: FoctFile, bscanHeight: number, bscanCount: number, notes: string[]): Promise<DeviceBoundaries | null> {
  const contours: Contour[] = [];
  for (const chunk of findChunks(foct, '@CONTOUR_INFO')) {
    const r = await chunkFields(source, chunk, CONTOUR_HEADER_BYTES);
    const id = r.text(0, 20, 'id');
    const type = r.u16(20, 'type');
    const width = r.u32(22, 'width');
    const rows = r.u32(26, 'height');
    checkImageSize(source.name, `@CONTOUR_INFO ${id || '?'} width/height`, width, rows);
    const bytesPerValue = type === 0 ? 2 : 8;
    if (CONTOUR_HEADER_BYTES + width * rows * bytesPerValue > chunk.size) {
      throw new FormatError(source.name, `@CONTOUR_INFO ${id || '?'}`, `${width} x ${rows} values do not fit in the ${chunk.size}-byte chunk`, 'truncated');
    }
    contours.push({ name: MULTILAYER_NAMES[id] ?? (id || `contour ${contours.length + 1}`), chunk, bytesPerValue, width, rows });
  }
  const first = contours[0];
  if (!first) return null;
  if (contours.some((c) => c.width !== first.width || c.rows !== first.rows)) {
    notes.push('The @CONTOUR_INFO layers differ in size: only those matching the first are kept.');
  }
  const kept = contours.filter((c) => c.width === first.width && c.rows === first.rows);
  if (first.rows !== bscanCount) {
    notes.push(`The device's layers (@CONTOUR_INFO) cover ${first.rows} B-scans but the file holds ${bscanCount}: they cannot be paired with the B-scans held.`);
  }
  return {
    source: 'Topcon @CONTOUR_INFO',
    names: kept.map((c) => c.name),
    bscanCount: first.rows,
    width: first.width,
    read: async (index) => {
      if (!Number.isInteger(index) || index < 0 || index >= first.rows) {
        throw new FormatError(source.name, 'device boundaries index', `${index} is outside 0..${first.rows - 1}`, 'needs-input');
      }
      const out: Record<string, Float32Array> = {};
      const row = first.rows - 1 - index;
      for (const c of kept) {
        const r = await readFields(source, c.chunk.offset + CONTOUR_HEADER_BYTES + row * c.width * c.bytesPerValue, c.width * c.bytesPerValue, `@CONTOUR_INFO ${c.name}`);
        const values = new Float32Array(c.width);
        for (let x = 0; x < c.width; x++) {
          const v = c.bytesPerValue === 2 ? r.u16(x * 2, 'value') : r.f64(x * 8, 'value');
          values[x] = v > 0 && v <= bscanHeight ? bscanHeight - v : NaN;
        }
        out[c.name] = values;
      }
      return out;
    },
  };
}
