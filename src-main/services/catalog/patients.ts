import type { PatientRecord } from '../../../src-shared/domain/catalog';
import type { CatalogDb } from './database';

export interface PatientFields {
  name?: string | null;
  birthDate?: string | null;
  sex?: string | null;
}

interface PatientRow {
  id: number;
  external_id: string;
  name: string | null;
  birth_date: string | null;
  sex: string | null;
  scan_count: number;
}

/** Patients, keyed by the clinic's external id (the only required field). */
export class PatientsRepo {
  constructor(private readonly db: CatalogDb) {}

  /** The stored fields of the patient with this external id, or null. */
  findByExternalId(externalId: string): { id: number; name: string | null; birthDate: string | null } | null {
    const row = this.db.prepare('SELECT id, name, birth_date FROM patients WHERE external_id = ?').get(externalId) as
      | { id: number; name: string | null; birth_date: string | null }
      | undefined;
    return row ? { id: row.id, name: row.name, birthDate: row.birth_date } : null;
  }

  /**
   * Replaces the given fields of a patient (an explicit choice, e.g. import's `--on-patient-conflict update`);
   * fields not given stay as they are.
   */
  overwrite(id: number, fields: PatientFields): void {
    const sets: string[] = [];
    const values: (string | null)[] = [];
    if (fields.name !== undefined) { sets.push('name = ?'); values.push(fields.name); }
    if (fields.birthDate !== undefined) { sets.push('birth_date = ?'); values.push(fields.birthDate); }
    if (fields.sex !== undefined) { sets.push('sex = ?'); values.push(fields.sex); }
    if (sets.length) this.db.prepare(`UPDATE patients SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
  }

  /**
   * Returns the patient's id, creating the patient if needed; fills fields that were empty and never
   * changes one that is set (a differing value is a conflict the caller reports: import/patient-conflicts.ts).
   */
  upsert(externalId: string, fields: PatientFields = {}): number {
    const existing = this.db.prepare('SELECT id FROM patients WHERE external_id = ?').get(externalId) as { id: number } | undefined;
    if (existing) {
      this.db
        .prepare('UPDATE patients SET name = COALESCE(name, ?), birth_date = COALESCE(birth_date, ?), sex = COALESCE(sex, ?) WHERE id = ?')
        .run(fields.name ?? null, fields.birthDate ?? null, fields.sex ?? null, existing.id);
      return existing.id;
    }
    const info = this.db
      .prepare('INSERT INTO patients (external_id, name, birth_date, sex, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(externalId, fields.name ?? null, fields.birthDate ?? null, fields.sex ?? null, new Date().toISOString());
    return Number(info.lastInsertRowid);
  }

  get(id: number): PatientRecord | null {
    const row = this.db.prepare(`${SELECT} WHERE p.id = ?`).get(id) as PatientRow | undefined;
    return row ? toRecord(row) : null;
  }

  list(): PatientRecord[] {
    return (this.db.prepare(`${SELECT} ORDER BY p.external_id`).all() as PatientRow[]).map(toRecord);
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM patients').get() as { n: number }).n;
  }
}

const SELECT = `SELECT p.id, p.external_id, p.name, p.birth_date, p.sex,
  (SELECT COUNT(*) FROM scans s WHERE s.patient_id = p.id AND s.deleted_at IS NULL) AS scan_count
  FROM patients p`;

function toRecord(row: PatientRow): PatientRecord {
  return { id: row.id, externalId: row.external_id, name: row.name, birthDate: row.birth_date, sex: row.sex, scanCount: row.scan_count };
}
