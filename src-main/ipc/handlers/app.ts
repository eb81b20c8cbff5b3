import type { Handlers } from '../dispatcher';
import type { Services } from '../../services/container';
import { checkDataFolder } from '../../services/app/data-folder-check';

export function appHandlers(s: Services): Pick<Handlers, 'app.info' | 'app.checkDataFolder'> {
  return {
    'app.info': async () => s.appInfo.info(),
    'app.checkDataFolder': async () => ({
      jobId: s.jobs.start('check-data-folder', 'Check data folder', (ctx) => checkDataFolder(s.folder, s.db, ctx)),
    }),
  };
}
