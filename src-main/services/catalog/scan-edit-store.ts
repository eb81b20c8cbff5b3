import type { EyeSource, Laterality } from '../../../src-shared/domain/laterality';
import type { ScaleProvenance } from '../../../src-shared/domain/segmentation';
import type { CatalogDb } from './database';

/** The columns of a scan a person may correct (scan-edits.ts), as stored. */
export interface EditableScanFields {
  patientId: number | null;
  eye: Laterality;
  /** Where the eye came from ('user' once a person set it); null while unknown. */
  eyeSource: EyeSource | null;
  eyeConfidence: number | null;
  acquiredAt: string | null;
  device: string | null;
  axialUmPerPx: number | null;
  lateralUmPerPx: number | null;
  scaleProvenance: ScaleProvenance;
  scaleSource: string | null;
}

/** The SQL of metadata edits; every call runs inside the edit's transaction. */
export class ScanEditStore {
  constructor(private readonly db: CatalogDb) {}

  /** Writes the editable columns of one scan. */
  writeScanFields(scanId: number, f: EditableScanFields): void {
    this.db
      .prepare(
        `UPDATE scans SET patient_id = ?, eye = ?, eye_source = ?, eye_confidence = ?, acquired_at = ?, device = ?, axial_um = ?,
           lateral_um = ?, scale_provenance = ?, scale_source = ? WHERE id = ?`,
      )
      .run(f.patientId, f.eye, f.eyeSource, f.eyeConfidence, f.acquiredAt, f.device, f.axialUmPerPx, f.lateralUmPerPx, f.scaleProvenance, f.scaleSource, scanId);
  }

  /** The live scans of a patient with their acquisition dates (a birth date must precede them all). */
  scansOfPatient(patientId: number): { id: number; acquiredAt: string | null }[] {
    return (this.db.prepare('SELECT id, acquired_at FROM scans WHERE patient_id = ? AND deleted_at IS NULL ORDER BY id').all(patientId) as {
      id: number;
      acquired_at: string | null;
    }[]).map((r) => ({ id: r.id, acquiredAt: r.acquired_at }));
  }
}
