import type { Handlers } from '../dispatcher';
import type { Services } from '../../services/container';
import { checkSource } from '../../services/import/scanner';

export function importHandlers(s: Services): Pick<Handlers, 'import.dryRun' | 'import.start'> {
  return {
    'import.dryRun': async ({ path }) => s.importer.dryRun(path),
    'import.start': async ({ path, segment }) => {
      checkSource(path);
      return { jobId: s.jobs.start('import', `Import ${path}`, (ctx) => s.importer.run(path, { segment }, ctx)) };
    },
  };
}
