import type { DataFolder } from '../data-folder';
import { openDataFolder } from '../data-folder';
import { EventBus } from '../ipc/event-bus';
import { JobRunner } from '../jobs/job-runner';
import { openCatalogDb, type CatalogDb } from './catalog/database';
import { AppInfoService, type HostKind } from './app/app-info';

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
  close(): Promise<void>;
}

export interface ServiceOptions {
  home: string;
  host: HostKind;
}

export function createServices(options: ServiceOptions): Services {
  const folder = openDataFolder(options.home);
  const db = openCatalogDb(folder.catalogPath);
  const bus = new EventBus();
  const jobs = new JobRunner(bus);
  const appInfo = new AppInfoService(folder, db, options.host);
  return {
    folder,
    db,
    bus,
    jobs,
    appInfo,
    async close() {
      db.close();
    },
  };
}
