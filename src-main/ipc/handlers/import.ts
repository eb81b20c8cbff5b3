import type { Handlers } from '../dispatcher';
import type { Services } from '../../services/container';
import { join } from 'node:path';
import { checkSource } from '../../services/import/scanner';
import { resourcesDir } from '../../resources';

export function importHandlers(s: Services): Pick<Handlers, 'import.dryRun' | 'import.start' | 'import.samples'> {
  const start = (path: string, title: string, segment?: boolean) => {
    checkSource(path);
    return { jobId: s.jobs.start('import', title, (ctx) => s.importer.run(path, { segment }, ctx)) };
  };
  return {
    'import.samples': async () => start(join(resourcesDir(), 'samples'), 'Import sample scans'),
    'import.dryRun': async ({ path }) => s.importer.dryRun(path),
    'import.start': async ({ path, segment }) => start(path, `Import ${path}`, segment),
  };
}
