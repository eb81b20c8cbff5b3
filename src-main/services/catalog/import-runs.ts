import type { CatalogDb } from './database';

export type ImportRunState = 'running' | 'done' | 'cancelled' | 'failed';

/** What a finished run records of itself (counts only: no paths or patient details). */
export interface ImportRunSummary {
  found: number;
  imported: number;
  restored: number;
  duplicates: number;
  failed: number;
  skipped: number;
}

/**
 * One row per import job: started as 'running', finished with its state and counts. A run still
 * 'running' when the catalog is next opened was killed (database.ts marks it 'interrupted').
 */
export class ImportRunsRepo {
  constructor(private readonly db: CatalogDb) {}

  start(source: string): number {
    const info = this.db.prepare("INSERT INTO import_runs (source, started_at, state) VALUES (?, ?, 'running')").run(source, new Date().toISOString());
    return Number(info.lastInsertRowid);
  }

  finish(runId: number, state: Exclude<ImportRunState, 'running'>, summary: ImportRunSummary): void {
    this.db.prepare('UPDATE import_runs SET finished_at = ?, state = ?, summary_json = ? WHERE id = ?').run(new Date().toISOString(), state, JSON.stringify(summary), runId);
    // many new rows change what the query planner should know of the tables
    if (state === 'done' && summary.imported > 0) this.db.pragma('optimize=0x10002');
  }
}
