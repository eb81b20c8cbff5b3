import type { CatalogDb } from './database';

/** A report or export written from a scan's segmentation. */
export interface NewReport {
  scanId: number;
  /** The segmentation it shows; a later re-run must keep it (domain/review.ts keptBecause: reported). */
  segmentationId: number | null;
  /** 'pdf' or 'png'. */
  kind: string;
  path: string;
  actor: string;
}

/** The reports made from the catalog (table `reports`): which segmentation each one cites. */
export class ReportsRepo {
  constructor(private readonly db: CatalogDb) {}

  insert(r: NewReport): number {
    const info = this.db
      .prepare('INSERT INTO reports (scan_id, segmentation_id, kind, path, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)')
      .run(r.scanId, r.segmentationId, r.kind, r.path, new Date().toISOString(), r.actor);
    return Number(info.lastInsertRowid);
  }
}
