import type { PatientRecord, ScanRecord } from '../../src-shared/domain/catalog';
import type { Laterality } from '../../src-shared/domain/laterality';
import {
  localToday,
  metadataProblems,
  type MetadataField,
  type MetadataProblem,
  type PatientSex,
  type ScanMetadataChanges,
  type ScanUpdateResult,
} from '../../src-shared/domain/scan-metadata';
import { AppError } from '../../src-shared/contract';
import { api } from '../api/client';
import { describeError } from '../api/messages';

/** A select's "leave each scan as it is" choice, in a form for several scans. */
export const KEEP = 'keep';

type Text = 'patientId' | 'patientName' | 'birthDate' | 'acquiredAt' | 'device' | 'axial' | 'lateral';
type Choice = 'eye' | 'sex';
export type FormField = Text | Choice;

/**
 * The form that corrects a scan's details, or those of each scan of a selection, as data: what is typed,
 * what of it is a change, what is wrong with it (the same rules the catalog service applies,
 * domain/scan-metadata.ts), and saving through catalog.updateScans.
 *
 * For one scan the fields start from its record and a field left as it was is not sent. For several,
 * fields start empty (selects on "leave as is"): only what is filled in is applied to each scan.
 */
export class MetadataForm {
  readonly values = $state<Record<FormField, string>>({ patientId: '', patientName: '', birthDate: '', sex: '', eye: '', acquiredAt: '', device: '', axial: '', lateral: '' });
  saving = $state(false);
  /** The service's refusal or failure, in words. */
  error = $state<string | null>(null);
  /** The field the service named in its refusal. */
  errorField = $state<MetadataField | null>(null);
  readonly #initial: Record<FormField, string>;
  /** One scan (fields start from its record) rather than a selection. */
  readonly single: boolean;

  /** The request's changes: only the fields that differ from where they started. */
  readonly changes = $derived.by(() => changesOf(this.values, this.#initial, this.single));
  /** What is wrong with them, each naming its field, checked as the user types. */
  readonly problems = $derived.by(() => {
    const problems = metadataProblems(this.changes, localToday());
    const scale = this.changes.scale;
    // across scans "the other axis as it was" is no single value: a selection states both
    if (!this.single && scale && (scale.axialUmPerPx === null) !== (scale.lateralUmPerPx === null)) {
      problems.push({ field: 'scale', message: 'For several scans give both the axial and the lateral spacing' });
    }
    return problems;
  });
  readonly hasChanges = $derived(Object.keys(this.changes).length > 0);

  constructor(
    readonly scanIds: readonly number[],
    /** The one scan's record and its patient; null for a selection of several. */
    scan: ScanRecord | null = null,
    patient: PatientRecord | null = null,
  ) {
    this.single = scan !== null;
    const start = scan ? startingValues(scan, patient) : { ...this.values, eye: KEEP, sex: KEEP };
    this.#initial = { ...start };
    Object.assign(this.values, start);
  }

  /** The first problem with a form field, for its message beside it. */
  problemOf(field: FormField): string | null {
    const names = FIELD_NAMES[field];
    const local = this.problems.find((p: MetadataProblem) => names.includes(p.field));
    if (local) return local.message;
    return this.errorField && names.includes(this.errorField) ? this.error : null;
  }

  /** Saves; the result, or null when refused (error says why). */
  async save(): Promise<ScanUpdateResult | null> {
    if (this.problems.length > 0 || !this.hasChanges) return null;
    this.saving = true;
    this.error = null;
    this.errorField = null;
    try {
      return await api.invoke('catalog.updateScans', { scanIds: [...this.scanIds], changes: this.changes });
    } catch (e) {
      this.error = describeError(e);
      const field = e instanceof AppError ? e.details?.field : undefined;
      this.errorField = typeof field === 'string' ? (field as MetadataField) : null;
      return null;
    } finally {
      this.saving = false;
    }
  }
}

/** Which request fields each form field stands for (a problem is shown beside its form field). */
const FIELD_NAMES: Record<FormField, readonly MetadataField[]> = {
  patientId: ['patient.externalId', 'patient'],
  patientName: ['patient.name'],
  birthDate: ['patient.birthDate'],
  sex: ['patient.sex'],
  eye: ['eye'],
  acquiredAt: ['acquiredAt'],
  device: ['device'],
  axial: ['scale.axialUmPerPx', 'scale'],
  lateral: ['scale.lateralUmPerPx'],
};

function startingValues(scan: ScanRecord, patient: PatientRecord | null): Record<FormField, string> {
  const text = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v));
  return {
    patientId: text(scan.patientExternalId),
    patientName: text(patient?.name ?? scan.patientName),
    birthDate: text(patient?.birthDate),
    sex: text(patient?.sex),
    eye: scan.eye,
    acquiredAt: text(scan.acquiredAt?.slice(0, 10)),
    device: text(scan.device),
    axial: text(scan.axialUmPerPx),
    lateral: text(scan.lateralUmPerPx),
  };
}

function changesOf(v: Record<FormField, string>, initial: Record<FormField, string>, single: boolean): ScanMetadataChanges {
  const changed = (f: FormField) => v[f].trim() !== initial[f].trim() && (single || (v[f] !== KEEP && v[f].trim() !== ''));
  const optional = (f: FormField) => (v[f].trim() === '' ? null : v[f].trim());
  const c: ScanMetadataChanges = {};
  const patient: NonNullable<ScanMetadataChanges['patient']> = {};
  if (changed('patientId')) patient.externalId = v.patientId.trim();
  if (changed('patientName')) patient.name = optional('patientName');
  if (changed('birthDate')) patient.birthDate = optional('birthDate');
  if (changed('sex')) patient.sex = (optional('sex') as PatientSex | null);
  if (Object.keys(patient).length) c.patient = patient;
  if (changed('eye')) c.eye = v.eye as Laterality;
  if (changed('acquiredAt')) c.acquiredAt = optional('acquiredAt');
  if (changed('device')) c.device = optional('device');
  if (changed('axial') || changed('lateral')) {
    // a stated scale is both axes: the one not typed stays what the scan has (one scan) or is unknown
    const axis = (f: 'axial' | 'lateral') => (v[f].trim() === '' ? null : Number(v[f]));
    c.scale = v.axial.trim() === '' && v.lateral.trim() === '' ? null : { axialUmPerPx: axis('axial'), lateralUmPerPx: axis('lateral') };
  }
  return c;
}
