import { rmSync } from 'node:fs';
import type { AuditLog } from './audit';
import type { CatalogDb } from './database';
import type { ImageLibrary } from './library';
import type { ScansRepo } from './scans';

export interface TrashDeps {
  db: CatalogDb;
  scans: ScansRepo;
  audit: AuditLog;
  library: ImageLibrary;
}

/** What one step of a delete, restore or tag did: the scans it changed and how many were already so. */
export interface ChangeCount {
  changed: number[];
  unchanged: number;
}

export interface PurgeStep {
  purged: number[];
  notInTrash: number[];
  filesRemoved: number;
  filesKept: number;
}

/** Library files a scan is stored as: its image, each B-scan's, its localizer's. */
const FILES_OF_SCAN = `SELECT stored_file AS f FROM scans WHERE id = ?
  UNION SELECT stored_file FROM bscans WHERE scan_id = ?
  UNION SELECT stored_file FROM localizers WHERE scan_id = ? AND stored_file IS NOT NULL`;
const FILE_IN_USE = `SELECT 1 FROM scans WHERE stored_file = ?
  UNION ALL SELECT 1 FROM bscans WHERE stored_file = ?
  UNION ALL SELECT 1 FROM localizers WHERE stored_file = ? LIMIT 1`;

/**
 * The catalog's trash: a delete hides a scan (soft delete, `deleted_at`) and keeps everything, so it can
 * be restored; a purge removes a trashed scan for good. Each call is one transaction over the ids given
 * (bulk jobs call it a chunk at a time) and records one audit row per scan it changed.
 */
export class CatalogTrash {
  constructor(private readonly d: TrashDeps) {}

  moveToTrash(ids: readonly number[], actor: string): ChangeCount {
    const { db, audit } = this.d;
    const now = new Date().toISOString();
    const mark = db.prepare('UPDATE scans SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL');
    return db.transaction(() => {
      const changed = ids.filter((id) => mark.run(now, id).changes > 0);
      for (const id of changed) audit.record(actor, 'delete', id, { soft: true, bulk: ids.length > 1 });
      return { changed, unchanged: ids.length - changed.length };
    })();
  }

  restore(ids: readonly number[], actor: string): ChangeCount {
    const { db, audit } = this.d;
    const unmark = db.prepare('UPDATE scans SET deleted_at = NULL WHERE id = ? AND deleted_at IS NOT NULL');
    return db.transaction(() => {
      const changed = ids.filter((id) => unmark.run(id).changes > 0);
      for (const id of changed) audit.record(actor, 'restore', id, { bulk: ids.length > 1 });
      return { changed, unchanged: ids.length - changed.length };
    })();
  }

  /**
   * Removes trashed scans for good: segmentations, report records, series rows, tags and the search row,
   * then the scan row (one transaction); afterwards deletes each library file no remaining scan, B-scan or
   * localizer is stored as. A scan not in the trash is left alone and listed. The audit rows stay (ids only).
   */
  purge(ids: readonly number[], actor: string): PurgeStep {
    const { db, audit } = this.d;
    const inTrash = db.prepare('SELECT deleted_at IS NOT NULL AS trashed FROM scans WHERE id = ?').pluck();
    const filesOf = db.prepare(FILES_OF_SCAN).pluck();
    const dropReports = db.prepare('DELETE FROM reports WHERE scan_id = ? OR segmentation_id IN (SELECT id FROM segmentations WHERE scan_id = ?)');
    const dropSegmentations = db.prepare('DELETE FROM segmentations WHERE scan_id = ?');
    const dropSearchRow = db.prepare('DELETE FROM scans_fts WHERE rowid = ?');
    // scan_tags, bscans, localizers and device_segmentations go with the row (ON DELETE CASCADE)
    const dropScan = db.prepare('DELETE FROM scans WHERE id = ?');
    const { purged, notInTrash, files } = db.transaction(() => {
      const purged: number[] = [];
      const notInTrash: number[] = [];
      const files = new Set<string>();
      for (const id of ids) {
        if (inTrash.get(id) !== 1) {
          notInTrash.push(id);
          continue;
        }
        const stored = filesOf.all(id, id, id) as string[];
        for (const f of stored) files.add(f);
        dropReports.run(id, id);
        dropSegmentations.run(id);
        dropSearchRow.run(id);
        dropScan.run(id);
        audit.record(actor, 'purge', id, { files: stored.length, bulk: ids.length > 1 });
        purged.push(id);
      }
      return { purged, notInTrash, files };
    })();
    // only once the rows are gone for good: a file another scan still uses stays
    const inUse = db.prepare(FILE_IN_USE).pluck();
    let filesRemoved = 0;
    let filesKept = 0;
    for (const file of files) {
      if (inUse.get(file, file, file) !== undefined) {
        filesKept++;
        continue;
      }
      rmSync(this.d.library.absolutePath(file), { force: true });
      filesRemoved++;
    }
    return { purged, notInTrash, filesRemoved, filesKept };
  }

  /** Adds `tag` to (or removes it from) each scan: the row's tag list, the tag index and the search text. */
  setTag(ids: readonly number[], tag: string, remove: boolean, actor: string): ChangeCount {
    const { db, scans, audit } = this.d;
    const read = db.prepare('SELECT tags FROM scans WHERE id = ?').pluck();
    const write = db.prepare('UPDATE scans SET tags = ? WHERE id = ?');
    const index = remove ? db.prepare('DELETE FROM scan_tags WHERE scan_id = ? AND tag = ?') : db.prepare('INSERT OR IGNORE INTO scan_tags (scan_id, tag) VALUES (?, ?)');
    return db.transaction(() => {
      const changed: number[] = [];
      for (const id of ids) {
        const tags = String(read.get(id) ?? '').split(',').filter(Boolean);
        const has = tags.includes(tag);
        if (has !== remove) continue;
        write.run((remove ? tags.filter((t) => t !== tag) : [...tags, tag]).join(','), id);
        index.run(id, tag);
        scans.reindexSearchText(id);
        audit.record(actor, remove ? 'untag' : 'tag', id, { tag });
        changed.push(id);
      }
      return { changed, unchanged: ids.length - changed.length };
    })();
  }
}
