/**
 * What a person may correct about a scan after import (issue 15.2), and the one set of rules every
 * edit is checked against: the renderer's forms check with them as the user types, the catalog service
 * checks with them again before anything is written. Pure: `today` is passed in.
 *
 * Messages name the field and the rule, never the value a person typed for a patient field (names,
 * birth dates and ids stay out of errors and logs).
 */
import { TEXT_LIMITS } from './limits';
import type { Laterality } from './laterality';

/** DICOM's patient sex values (0010,0040): female, male, other. */
export const PATIENT_SEXES = ['F', 'M', 'O'] as const;
export type PatientSex = (typeof PATIENT_SEXES)[number];

/**
 * A plausible pixel spacing of an OCT B-scan, µm per pixel, on either axis. Real devices lie well
 * inside: axial 1.9-7 µm (Cirrus 1.95, Spectralis 3.9, exports resampled to 500 rows 4), lateral 3-30 µm
 * (a 6 mm line over 2048 A-scans is 2.9, a 12 mm line over 512 is 23.4). A value outside is a typo
 * (mm for µm, px per mm), not a scan.
 */
export const SCALE_LIMITS_UM_PER_PX = { min: 0.5, max: 50 } as const;

/** The earliest birth date accepted: anything before is a typo in the year. */
export const EARLIEST_BIRTH_DATE = '1880-01-01';

/** Changes to the patient a scan belongs to. A field left out stays as it is. */
export interface PatientChanges {
  /** Attaches the scans to the patient with this id (created when new). */
  externalId?: string;
  name?: string | null;
  /** YYYY-MM-DD. */
  birthDate?: string | null;
  sex?: PatientSex | null;
}

/** The pixel spacing a person states (provenance 'user'); null on an axis: unknown there. */
export interface ScaleChange {
  axialUmPerPx: number | null;
  lateralUmPerPx: number | null;
}

/** One edit applied to one scan or to each scan of a selection. A field left out stays as it is. */
export interface ScanMetadataChanges {
  patient?: PatientChanges;
  /** Set by a person: recorded with source 'user'. */
  eye?: Laterality;
  /** YYYY-MM-DD; null clears it. */
  acquiredAt?: string | null;
  device?: string | null;
  /** null: forget the stated spacing (a matching device profile, else unknown, applies again). */
  scale?: ScaleChange | null;
}

export type MetadataField =
  | 'scanIds'
  | 'patient'
  | 'patient.externalId'
  | 'patient.name'
  | 'patient.birthDate'
  | 'patient.sex'
  | 'eye'
  | 'acquiredAt'
  | 'device'
  | 'scale'
  | 'scale.axialUmPerPx'
  | 'scale.lateralUmPerPx';

export interface MetadataProblem {
  field: MetadataField;
  message: string;
}

/** One field's value before and after an edit of one scan, as the audit log records it. */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** What catalog.updateScans did. */
export interface ScanUpdateResult {
  /** Every scan asked for, as it is now. */
  scanIds: number[];
  /** Scans at least one of whose fields changed. */
  changedScans: number;
  /** Stored segmentations whose zones and µm values were recomputed from their label maps. */
  recomputedSegmentations: number;
}

/** Today's date (YYYY-MM-DD) in the local calendar of whoever calls it. */
export function localToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** A real calendar date written YYYY-MM-DD (2023-02-30 is not). */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** The date part of a stored acquisition time ('2019-03-02T10:00:00Z' -> '2019-03-02'), or null. */
export function dateOf(value: string | null): string | null {
  return value === null ? null : value.slice(0, 10);
}

/**
 * The problems of an edit on its own (formats, ranges, lengths), each naming its field; [] when
 * it is acceptable. What depends on the stored scans (a birth date after a stored acquisition date,
 * patient details for a selection of several patients) the catalog service checks, with
 * `birthAcquisitionProblem` for the dates.
 */
export function metadataProblems(c: ScanMetadataChanges, today: string): MetadataProblem[] {
  const problems: MetadataProblem[] = [];
  const add = (field: MetadataField, message: string) => problems.push({ field, message });
  const p = c.patient;
  if (p) {
    if (p.externalId !== undefined) textProblem(add, 'patient.externalId', 'The patient id', p.externalId, TEXT_LIMITS.patientId, true);
    if (p.name !== undefined && p.name !== null) textProblem(add, 'patient.name', "The patient's name", p.name, TEXT_LIMITS.patientName, true);
    if (p.birthDate !== undefined && p.birthDate !== null) {
      const problem = dateProblem(p.birthDate, today);
      if (problem) add('patient.birthDate', `The birth date ${problem}`);
      else if (p.birthDate < EARLIEST_BIRTH_DATE) add('patient.birthDate', `The birth date is before ${EARLIEST_BIRTH_DATE.slice(0, 4)}`);
    }
    if (p.sex !== undefined && p.sex !== null && !(PATIENT_SEXES as readonly string[]).includes(p.sex)) {
      add('patient.sex', `Sex must be one of ${PATIENT_SEXES.join(', ')} (female, male, other) or empty`);
    }
  }
  if (c.acquiredAt !== undefined && c.acquiredAt !== null) {
    const problem = dateProblem(c.acquiredAt, today);
    if (problem) add('acquiredAt', `The acquisition date ${problem}`);
  }
  if (c.device !== undefined && c.device !== null) textProblem(add, 'device', 'The device', c.device, TEXT_LIMITS.device, false);
  if (c.scale) {
    for (const axis of ['axialUmPerPx', 'lateralUmPerPx'] as const) {
      const v = c.scale[axis];
      if (v === null) continue;
      const { min, max } = SCALE_LIMITS_UM_PER_PX;
      const name = axis === 'axialUmPerPx' ? 'axial' : 'lateral';
      if (!Number.isFinite(v) || v < min || v > max) add(`scale.${axis}`, `The ${name} spacing must be between ${min} and ${max} µm per pixel (got ${Number.isFinite(v) ? v : 'no number'})`);
    }
    if (c.scale.axialUmPerPx === null && c.scale.lateralUmPerPx === null) add('scale', 'A stated scale needs the axial or the lateral spacing; clear the scale instead');
  }
  return problems;
}

/** Birth date before acquisition: the pair problem, or null. Both YYYY-MM-DD (or a stored ISO time). */
export function birthAcquisitionProblem(birthDate: string | null, acquiredAt: string | null, scanId: number): MetadataProblem | null {
  const acquired = dateOf(acquiredAt);
  if (birthDate === null || acquired === null) return null;
  return birthDate < acquired ? null : { field: 'patient.birthDate', message: `The birth date is not before the acquisition date of scan ${scanId}` };
}

function dateProblem(value: string, today: string): string | null {
  if (!isCalendarDate(value)) return 'is not a real date written YYYY-MM-DD';
  if (value > today) return 'is in the future';
  return null;
}

function textProblem(add: (f: MetadataField, m: string) => void, field: MetadataField, what: string, value: string, max: number, required: boolean): void {
  const trimmed = value.trim();
  if (required && trimmed === '') add(field, `${what} is empty`);
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  else if (/[\u0000-\u001f\u007f]/.test(value)) add(field, `${what} contains a control character (a line break or tab)`);
  else if ([...trimmed].length > max) add(field, `${what} is longer than ${max} characters`);
}
