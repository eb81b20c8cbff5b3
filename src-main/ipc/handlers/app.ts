import { AppError } from '../../../src-shared/contract';
import type { Handlers } from '../dispatcher';
import type { Services } from '../../services/container';
import { checkDataFolder } from '../../services/app/data-folder-check';

export function appHandlers(s: Services): Pick<Handlers, 'app.info' | 'app.checkDataFolder' | 'app.pickPath'> {
  return {
    'app.info': async () => s.appInfo.info(),
    'app.pickPath': async ({ kind, title }) => {
      if (!s.dialogs) throw new AppError('NOT_AVAILABLE', 'This host has no native file dialog; type or paste the path.');
      return { path: await s.dialogs.pickPath(kind, title) };
    },
    'app.checkDataFolder': async () => ({
      jobId: s.jobs.start('check-data-folder', 'Check data folder', (ctx) => checkDataFolder(s.folder, s.db, ctx)),
    }),
  };
}
