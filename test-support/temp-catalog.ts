/**
 * A real catalog in a temporary data folder, with a scratch folder to import from: what tests of
 * import, segmentation and reports stand on. Closed and removed by `close()`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices, type Services } from '../src-main/services/container';

export interface TempCatalog {
  services: Services;
  /** The data folder (catalog.sqlite, library/). */
  home: string;
  /** A scratch folder for files to import. */
  work: string;
  /** Runs an import job of `source` to the end; throws unless it finished 'done'. */
  importFrom(source: string, options?: { segment?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export function openTempCatalog(name: string): TempCatalog {
  const home = mkdtempSync(join(tmpdir(), `stratum-${name}-home-`));
  const work = mkdtempSync(join(tmpdir(), `stratum-${name}-src-`));
  const services = createServices({ home, host: 'node' });
  return {
    services,
    home,
    work,
    async importFrom(source, options = {}) {
      const end = await services.jobs.wait(services.jobs.start('import', 'Import', (ctx) => services.importer.run(source, { segment: options.segment ?? false }, ctx)));
      if (end.state !== 'done') throw new Error(`import of ${source} ended ${end.state}: ${JSON.stringify(end.error ?? null)}`);
    },
    async close() {
      await services.close();
      rmSync(home, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    },
  };
}
