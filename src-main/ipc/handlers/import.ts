import type { Handlers } from '../dispatcher';
import type { Services } from '../../services/container';
import { join } from 'node:path';
import type { ImportOptions } from '../../services/import/import-service';
import { checkSource } from '../../services/import/scanner';
import { resourcesDir } from '../../resources';
import { userPath } from '../../services/files/user-path';

export function importHandlers(s: Services): Pick<Handlers, 'import.dryRun' | 'import.start' | 'import.samples'> {
  // a path typed in the app's field: `~/Downloads` is the home folder, not a "~" folder beside the app
  const start = (typed: string, title: string, options: ImportOptions = {}) => {
    const path = userPath(typed);
    checkSource(path);
    return { jobId: s.jobs.start('import', title, (ctx) => s.importer.run(path, options, ctx)) };
  };
  return {
    'import.samples': async () => start(join(resourcesDir(), 'samples'), 'Import sample scans'),
    'import.dryRun': async ({ path, onPatientConflict }) => s.importer.dryRun(userPath(path), undefined, { onPatientConflict }),
    'import.start': async ({ path, segment, onPatientConflict }) => start(path, `Import ${path}`, { segment, onPatientConflict }),
  };
}
