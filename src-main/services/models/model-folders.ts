import { join } from 'node:path';
import { resolveHome } from '../../data-folder';
import { resourcesDir } from '../../resources';
import { readSettings } from '../app/settings';

/**
 * Where models live. The bundled ones ship inside the app (resources/models, read-only once installed);
 * a user's own (a retrained model, `stratum models add DIR`) go to `models/` in the data folder, beside
 * the catalog, where an installed app can write and an update does not remove them.
 */
export const USER_MODELS_FOLDER = 'models';

export function bundledModelsDir(): string {
  return join(resourcesDir(), 'models');
}

/** `home`: the data folder; default: --home (the CLI puts it in STRATUM_HOME), STRATUM_HOME, the per-user folder. */
export function userModelsDir(home = resolveHome()): string {
  return join(home, USER_MODELS_FOLDER);
}

/** The folders the registry reads, the user's first. */
export function modelRoots(home = resolveHome()): string[] {
  return [userModelsDir(home), bundledModelsDir()];
}

/** The default model chosen in the data folder's settings, or null (then the built-in preference decides). */
export function configuredDefaultModel(home = resolveHome()): string | null {
  return readSettings(home).defaultModel;
}
