import { AppError } from '../../../src-shared/contract';
import type { Handlers } from '../dispatcher';
import type { Services } from '../../services/container';
import { checkDataFolder } from '../../services/app/data-folder-check';
import { installedModels, setDefaultModel } from '../../services/models/installed-models';

export function appHandlers(s: Services): Pick<Handlers, 'app.info' | 'app.checkDataFolder' | 'app.pickPath' | 'app.models' | 'app.setDefaultModel'> {
  return {
    'app.info': async () => s.appInfo.info(),
    'app.pickPath': async ({ kind, title }) => {
      if (!s.dialogs) throw new AppError('NOT_AVAILABLE', 'This host has no native file dialog; type or paste the path.');
      return { path: await s.dialogs.pickPath(kind, title) };
    },
    'app.models': async () => installedModels(s.folder.home),
    // the segmentation service reads the setting at its next load, so the next run uses it (no restart)
    'app.setDefaultModel': async ({ id }) => setDefaultModel(s.folder.home, id),
    'app.checkDataFolder': async () => ({
      jobId: s.jobs.start('check-data-folder', 'Check data folder', (ctx) => checkDataFolder(s.folder, s.db, ctx)),
    }),
  };
}
