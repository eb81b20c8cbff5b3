/**
 * A user's placement of a volume's fovea (the ETDRS grid centre), kept on its scan row (scans.fovea_json)
 * with who set it and when; NULL means the fovea is found automatically. Only CatalogService writes it
 * (audited, announced); the en-face analysis reads it.
 */
import { AppError } from '../../../src-shared/contract';
import type { CatalogDb } from './database';

export interface StoredFovea {
  xMm: number;
  yMm: number;
  /** The actor who placed it and when (ISO time). */
  by: string;
  at: string;
}

export class ScanFoveaRepo {
  constructor(private readonly db: CatalogDb) {}

  /** The stored placement, or null (automatic); an unreadable value reads as automatic. */
  get(scanId: number): StoredFovea | null {
    const row = this.db.prepare('SELECT fovea_json FROM scans WHERE id = ?').get(scanId) as { fovea_json: string | null } | undefined;
    if (!row?.fovea_json) return null;
    try {
      const v = JSON.parse(row.fovea_json) as Partial<StoredFovea>;
      if (Number.isFinite(v.xMm) && Number.isFinite(v.yMm) && typeof v.by === 'string' && typeof v.at === 'string') return v as StoredFovea;
    } catch {
      // fall through: a damaged value must not break the maps
    }
    return null;
  }

  set(scanId: number, value: StoredFovea | null): void {
    const r = this.db.prepare('UPDATE scans SET fovea_json = ? WHERE id = ?').run(value === null ? null : JSON.stringify(value), scanId);
    if (r.changes === 0) throw new AppError('NOT_FOUND', `scan ${scanId} does not exist`, { scanId });
  }
}
