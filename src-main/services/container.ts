import type { DataFolder } from '../data-folder';
import { openDataFolder } from '../data-folder';
import { EventBus } from '../ipc/event-bus';
import { JobRunner } from '../jobs/job-runner';
import { openCatalogDb, type CatalogDb } from './catalog/database';
import { AppInfoService, type HostKind } from './app/app-info';
import { acquireCatalogLock } from './catalog/lock';
import { PatientsRepo } from './catalog/patients';
import { ScansRepo } from './catalog/scans';
import { SegmentationsRepo } from './catalog/segmentations';
import { SeriesRepo } from './catalog/series';
import { ScanEditService } from './catalog/scan-edits';
import { CatalogService } from './catalog/catalog-service';
import { ImportRunsRepo } from './catalog/import-runs';
import { AuditLog } from './catalog/audit';
import { ImageLibrary } from './catalog/library';
import { ImportService } from './import/import-service';
import { SegmentationService } from './segmentation/segmentation-service';
import type { InferenceOptions } from './segmentation/inference-client';
import { segmentImported } from './segmentation/series-segmentation';

/**
 * The composition root for everything behind the contract. Both hosts (Electron and the Node
 * WebSocket host) and the CLI build exactly this; services never know which host runs them.
 */
export interface Services {
  readonly folder: DataFolder;
  readonly db: CatalogDb;
  readonly bus: EventBus;
  readonly jobs: JobRunner;
  readonly appInfo: AppInfoService;
  readonly patients: PatientsRepo;
  readonly scans: ScansRepo;
  readonly segmentations: SegmentationsRepo;
  /** Each scan as a series of B-scans: their images and positions, the localizer, the device's boundaries. */
  readonly series: SeriesRepo;
  /** Corrections of a scan's patient, eye, date, device and scale, with the summaries that follow. */
  readonly scanEdits: ScanEditService;
  /** The catalog's writes with their audit rows, and the one emitter of `catalog.changed`. */
  readonly catalog: CatalogService;
  readonly audit: AuditLog;
  readonly library: ImageLibrary;
  readonly importer: ImportService;
  readonly segmentation: SegmentationService;
  /** Native dialogs, where the host has them (Electron); the Node host and the CLI have none. */
  readonly dialogs: HostDialogs | null;
  close(): Promise<void>;
}

/** What only a desktop shell can offer; injected by the host so services stay host-agnostic. */
export interface HostDialogs {
  /** A native folder (or CSV manifest) picker; null when the user cancels. */
  pickPath(kind: 'folder' | 'folder-or-manifest', title: string): Promise<string | null>;
}

export interface ServiceOptions {
  home: string;
  host: HostKind;
  dialogs?: HostDialogs;
  /** Which model and engine segment (the CLI's --model/--engine); default: the trained model, its engine. */
  segmentation?: InferenceOptions;
}

export function createServices(options: ServiceOptions): Services {
  const folder = openDataFolder(options.home);
  const releaseLock = acquireCatalogLock(folder.home, folder.catalogPath);
  let db: CatalogDb;
  try {
    db = openCatalogDb(folder.catalogPath);
  } catch (error) {
    releaseLock();
    throw error;
  }
  const bus = new EventBus();
  const jobs = new JobRunner(bus);
  const appInfo = new AppInfoService(folder, db, options.host, () => segmentation.status());
  const audit = new AuditLog(db);
  const patients = new PatientsRepo(db);
  const scans = new ScansRepo(db);
  // each segmentation write brings its scan's review state along, in the same transaction
  const segmentations = new SegmentationsRepo(db, audit, (scanId) => catalog.syncReviewState(scanId));
  const scanEdits = new ScanEditService({ db, scans, patients, segmentations, audit });
  const catalog = new CatalogService({ db, scans, segmentations, audit, bus, scanEdits, importRuns: new ImportRunsRepo(db) });
  const library = new ImageLibrary(folder.libraryDir);
  const series = new SeriesRepo(db);
  const importer = new ImportService({ db, patients, scans, audit, library, catalog, series });
  const segmentation = new SegmentationService({ home: folder.home, ...options.segmentation }, { scans, segmentations, library, changes: catalog });
  importer.setSegmenter((scanIds) => segmentImported({ segmentation, scans, segmentations, series, library, catalog }, scanIds));
  return {
    folder,
    db,
    bus,
    jobs,
    appInfo,
    patients,
    scans,
    segmentations,
    series,
    scanEdits,
    catalog,
    audit,
    library,
    importer,
    segmentation,
    dialogs: options.dialogs ?? null,
    async close() {
      await segmentation.close().catch(() => undefined);
      try {
        db.close();
      } finally {
        releaseLock();
      }
    },
  };
}
