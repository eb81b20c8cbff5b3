import type { Handlers } from '../dispatcher';
import type { Services } from '../../services/container';
import { join } from 'node:path';
import type { ImportOptions } from '../../services/import/import-service';
import { checkSource } from '../../services/import/scanner';
import { resourcesDir } from '../../resources';

export function importHandlers(s: Services): Pick<Handlers, 'import.dryRun' | 'import.start' | 'import.samples'> {
  const start = (path: string, title: string, options: ImportOptions = {}) => {
    checkSource(path);
    return { jobId: s.jobs.start('import', title, (ctx) => s.importer.run(path, options, ctx)) };
  };
  return {
    'import.samples': async () => start(join(resourcesDir(), 'samples'), 'Import sample scans'),
    'import.dryRun': async ({ path, onPatientConflict }) => s.importer.dryRun(path, undefined, { onPatientConflict }),
    'import.start': async ({ path, segment, onPatientConflict }) => start(path, `Import ${path}`, { segment, onPatientConflict }),
  };
}
