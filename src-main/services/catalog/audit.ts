import { userInfo } from 'node:os';
import type { CatalogDb } from './database';

export type AuditAction = 'import' | 'segment' | 'review' | 'export' | 'delete' | 'restore' | 'correct' | string;

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  scanId: number | null;
  details: Record<string, unknown> | null;
}

/** Who did what when. Append-only. */
export class AuditLog {
  constructor(private readonly db: CatalogDb) {}

  record(actor: string, action: AuditAction, scanId: number | null, details?: Record<string, unknown>): void {
    this.db
      .prepare('INSERT INTO audit_log (at, actor, action, scan_id, details_json) VALUES (?, ?, ?, ?, ?)')
      .run(new Date().toISOString(), actor, action, scanId, details === undefined ? null : JSON.stringify(details));
  }

  forScan(scanId: number): AuditEntry[] {
    const rows = this.db
      .prepare('SELECT id, at, actor, action, scan_id, details_json FROM audit_log WHERE scan_id = ? ORDER BY id')
      .all(scanId) as { id: number; at: string; actor: string; action: string; scan_id: number | null; details_json: string | null }[];
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      actor: r.actor,
      action: r.action,
      scanId: r.scan_id,
      details: r.details_json ? (JSON.parse(r.details_json) as Record<string, unknown>) : null,
    }));
  }
}

/** The actor recorded for work done by this OS user. */
export function currentActor(): string {
  const fromEnv = process.env.USER || process.env.USERNAME;
  if (fromEnv) return fromEnv;
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown'; // no passwd entry for this uid (some containers)
  }
}
