import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DataFolder } from '../data-folder';
import { EventBus } from '../ipc/event-bus';
import { JobRunner } from '../jobs/job-runner';
import { AppInfoService } from '../services/app/app-info';
import { AuditLog } from '../services/catalog/audit';
import { syncReviewState } from '../services/catalog/review-state';
import { openCatalogAppender, openCatalogReadOnly, type CatalogDb } from '../services/catalog/database';
import { ImageLibrary } from '../services/catalog/library';
import { PatientsRepo } from '../services/catalog/patients';
import { ScansRepo } from '../services/catalog/scans';
import { SegmentationsRepo } from '../services/catalog/segmentations';
import type { Services } from '../services/container';
import { modelStatus } from '../services/models/model-status';
import { ModelRegistry } from '../services/models/registry';

/** What a command that only reads the catalog gets: the repositories, jobs for progress, app info. */
export type ReadServices = Pick<Services, 'folder' | 'db' | 'bus' | 'jobs' | 'appInfo' | 'patients' | 'scans' | 'segmentations' | 'audit' | 'library'> & {
  /** 'reader': opened read-only beside whoever holds the catalog (the app); 'owner': this process holds it. */
  readonly mode: 'reader' | 'owner';
  close(): Promise<void>;
};

/**
 * Opens the catalog for reading without the catalog lock, so read-only commands work while the app or
 * `stratum serve` holds it (and never keep the app from starting): SQLite in WAL mode lets readers see
 * the last committed state beside one writer. The connection is read-only, so nothing here can change
 * the catalog; the audit rows an export appends go through a second, ordinary connection, which SQLite
 * serialises with the app's writes (busy timeout).
 *
 * Null when there is no catalog yet or its schema is not this version's (the owner creates or migrates it).
 */
export function openCatalogReader(home: string): ReadServices | null {
  const folder: DataFolder = { home, catalogPath: join(home, 'catalog.sqlite'), libraryDir: join(home, 'library') };
  if (!existsSync(folder.catalogPath)) return null;
  const db = openCatalogReadOnly(folder.catalogPath);
  if (!db) return null;
  let writer: CatalogDb | null = null;
  let audit: AuditLog | null = null;
  const bus = new EventBus();
  const registry = new ModelRegistry();
  const scans = new ScansRepo(db);
  // wired as the container wires it, though SQLite refuses writes on this read-only connection
  const segmentations: SegmentationsRepo = new SegmentationsRepo(db, new AuditLog(db), (scanId) => syncReviewState({ scans, segmentations }, scanId));
  return {
    mode: 'reader',
    folder,
    db,
    bus,
    jobs: new JobRunner(bus),
    appInfo: new AppInfoService(folder, db, 'node', () => modelStatus(registry)),
    patients: new PatientsRepo(db),
    scans,
    segmentations,
    library: new ImageLibrary(folder.libraryDir),
    get audit(): AuditLog {
      if (!audit) {
        writer = openCatalogAppender(folder.catalogPath);
        audit = new AuditLog(writer);
      }
      return audit;
    },
    async close() {
      db.close();
      writer?.close();
    },
  };
}
