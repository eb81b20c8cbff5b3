import type { InstalledModel, InstalledModels } from '../../../src-shared/domain/installed-models';
import { bundledModelsDir, modelRoots } from './model-folders';
import { ModelRegistry } from './registry';
import { UserModels } from './user-models';
import { precisionOf } from './variants';

/**
 * The models of a data folder as the app's settings show them (app.models): the same listing as
 * `stratum models list` (UserModels), the broken ones as entries that cannot be chosen.
 */
export function installedModels(home: string): InstalledModels {
  const listing = new UserModels(home).list();
  const registry = new ModelRegistry(modelRoots(home), null);
  const models: InstalledModel[] = listing.models.map((m) => ({
    id: m.card.id,
    name: m.card.name,
    version: m.card.version,
    precision: precisionOf(m.card),
    trained: m.card.trained,
    source: m.source,
    valid: true,
    problem: null,
    isDefault: m.isDefault,
  }));
  for (const p of listing.problems) {
    if (p.id === '*') continue; // no models folder at all: said by defaultModel's problem
    const source = registry.rootOf(p.id) === bundledModelsDir() ? 'bundled' : 'user';
    models.push({ id: p.id, name: null, version: null, precision: null, trained: null, source, valid: false, problem: p.problem, isDefault: false });
  }
  models.sort((a, b) => a.id.localeCompare(b.id));
  return { models, defaultModel: listing.defaultModel };
}

/** Chooses the default model (verified first, as `stratum models default`); null: back to the built-in choice. */
export function setDefaultModel(home: string, id: string | null): InstalledModels {
  new UserModels(home).setDefault(id);
  return installedModels(home);
}
