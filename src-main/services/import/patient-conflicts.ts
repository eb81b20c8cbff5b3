import type { ImportFailure, ImportNotice, PatientConflictPolicy } from '../../../src-shared/domain/catalog';
import type { PatientsRepo } from '../catalog/patients';
import type { Candidate } from './scanner';

interface KnownPatient {
  name: string | null;
  birthDate: string | null;
}

/** What import does with one row's patient: attach as usual, or the conflict and what the policy made of it. */
export type PatientDecision =
  | { kind: 'attach'; overwrite: null }
  | { kind: 'refused'; failure: ImportFailure }
  | { kind: 'kept'; notice: ImportNotice; overwrite: null }
  | { kind: 'updated'; notice: ImportNotice; overwrite: { name?: string; birthDate?: string } };

/**
 * Tells when a manifest row names a patient_id the catalog (or an earlier row of the same batch) knows
 * with a different name or birth date, so one clinic's "P1" is never silently merged with another
 * person. The dry run and the real run ask the same questions: what the batch has decided so far is
 * kept here, over the catalog, so a dry run sees what the real run would. Messages name the manifest
 * line and the fields, never the values (patient data stays out of logs).
 */
export class PatientConflicts {
  private readonly decided = new Map<string, KnownPatient>();

  constructor(
    private readonly patients: PatientsRepo,
    private readonly policy: PatientConflictPolicy,
  ) {}

  decide(c: Candidate): PatientDecision {
    const id = c.patientExternalId;
    if (!id) return { kind: 'attach', overwrite: null };
    const known = this.decided.get(id) ?? this.patients.findByExternalId(id);
    const row: KnownPatient = { name: c.patientName, birthDate: c.birthDate };
    if (!known) {
      this.decided.set(id, row);
      return { kind: 'attach', overwrite: null };
    }
    const fields = conflictingFields(known, row);
    if (fields.length === 0) {
      this.decided.set(id, { name: known.name ?? row.name, birthDate: known.birthDate ?? row.birthDate });
      return { kind: 'attach', overwrite: null };
    }
    const where = c.line !== null ? `Line ${c.line} of the manifest` : 'This file';
    const differ = `${fields.join(' and ')} ${fields.length > 1 ? 'differ' : 'differs'} from the patient with the same patient_id`;
    const base = { path: c.path, fields, ...(c.line !== null ? { line: c.line } : {}) };
    if (this.policy === 'refuse') {
      return {
        kind: 'refused',
        failure: { ...base, code: 'PATIENT_CONFLICT', message: `${where}: ${differ}; not imported unless you choose to attach it keeping the catalog's details (keep) or replacing them (update); CLI: --on-patient-conflict` },
      };
    }
    if (this.policy === 'keep') {
      return { kind: 'kept', notice: { ...base, code: 'PATIENT_CONFLICT_KEPT', message: `${where}: ${differ}; attached, the catalog's details kept` }, overwrite: null };
    }
    const overwrite: { name?: string; birthDate?: string } = {};
    if (fields.includes('name')) overwrite.name = row.name!;
    if (fields.includes('birth_date')) overwrite.birthDate = row.birthDate!;
    this.decided.set(id, { name: overwrite.name ?? known.name, birthDate: overwrite.birthDate ?? known.birthDate });
    return { kind: 'updated', notice: { ...base, code: 'PATIENT_CONFLICT_UPDATED', message: `${where}: ${differ}; attached, the patient's ${fields.join(' and ')} replaced by the row's` }, overwrite };
  }
}

/** Manifest field names whose values are set on both sides and differ (names compared ignoring case and spacing). */
export function conflictingFields(known: KnownPatient, row: KnownPatient): string[] {
  const fields: string[] = [];
  if (known.name && row.name && normaliseName(known.name) !== normaliseName(row.name)) fields.push('name');
  if (known.birthDate && row.birthDate && known.birthDate !== row.birthDate) fields.push('birth_date');
  return fields;
}

function normaliseName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');
}
