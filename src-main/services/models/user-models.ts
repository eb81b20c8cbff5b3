import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AppError } from '../../../src-shared/contract/errors';
import { updateSettings } from '../app/settings';
import { userPath } from '../files/user-path';
import { configuredDefaultModel, modelRoots, userModelsDir } from './model-folders';
import { MODEL_ID, ModelRegistry, readModelDir, type ModelEntry, type ModelProblem } from './registry';

/** A model folder a user adds is copied whole; past this it is not a segmentation model. */
export const MAX_MODEL_FOLDER_BYTES = 2 * 1024 ** 3;

export interface ModelListing {
  models: (ModelEntry & { isDefault: boolean })[];
  problems: ModelProblem[];
  /** The model segmentation uses when none is named, or why there is none. */
  defaultModel: { id: string; chosen: boolean } | { problem: string };
}

/**
 * The user's models folder in a data folder (model-folders.ts): list what is installed, add a model
 * folder (verified before and after copying), remove one, choose the default.
 */
export class UserModels {
  readonly dir: string;

  constructor(private readonly home: string) {
    this.dir = userModelsDir(home);
  }

  private registry(): ModelRegistry {
    return new ModelRegistry(modelRoots(this.home), configuredDefaultModel(this.home));
  }

  list(): ModelListing {
    const registry = this.registry();
    const { models, problems } = registry.scan();
    let defaultModel: ModelListing['defaultModel'];
    try {
      defaultModel = { id: registry.resolve().card.id, chosen: configuredDefaultModel(this.home) !== null };
    } catch (error) {
      defaultModel = { problem: (error as Error).message };
    }
    const defaultId = 'id' in defaultModel ? defaultModel.id : null;
    return { models: models.map((m) => ({ ...m, isDefault: m.card.id === defaultId })), problems, defaultModel };
  }

  /**
   * Adds the model in `source` (a folder holding model.json and its weights) as `<models>/<card id>`. The
   * card and the weights' sha256 are checked in place, the folder copied beside the target, checked again
   * there (a copy cut short by a full disk is never installed), then moved in by one rename. An id that
   * is already installed is refused, unless `replace` and it is the user's own.
   */
  add(source: string, options: { replace?: boolean } = {}): ModelEntry {
    const from = userPath(source);
    let stat;
    try {
      stat = statSync(from);
    } catch {
      throw new AppError('NOT_FOUND', `No model folder at ${from}`, { path: from });
    }
    if (!stat.isDirectory()) throw new AppError('BAD_INPUT', `${from} is not a folder: give the folder holding model.json and the weights`, { path: from });
    const { card } = readModelDir(from, from);
    if (!MODEL_ID.test(card.id)) throw new AppError('BAD_INPUT', `The card's id "${card.id}" cannot name a folder: use letters, digits, '.', '-' and '_'`, { id: card.id });
    const installed = this.registry().rootOf(card.id);
    if (installed !== null && (installed !== this.dir || !options.replace)) {
      const why = installed === this.dir ? 'pass --replace to install this one instead' : 'a bundled model has that id; give yours another id in its card';
      throw new AppError('CONFLICT', `A model "${card.id}" is already installed (${join(installed, card.id)}): ${why}`, { id: card.id, installedIn: installed });
    }
    const files = modelFiles(from);
    mkdirSync(this.dir, { recursive: true });
    const temp = join(this.dir, `.adding-${card.id}-${randomBytes(6).toString('hex')}`);
    const target = join(this.dir, card.id);
    try {
      for (const file of files) {
        mkdirSync(join(temp, file, '..'), { recursive: true });
        copyFileSync(join(from, file), join(temp, file));
      }
      readModelDir(temp, card.id); // the copy, not the source, is what will run
      if (existsSync(target)) {
        const old = join(this.dir, `.removing-${card.id}-${randomBytes(6).toString('hex')}`);
        renameSync(target, old);
        renameSync(temp, target);
        rmSync(old, { recursive: true, force: true });
      } else {
        renameSync(temp, target);
      }
    } catch (error) {
      rmSync(temp, { recursive: true, force: true });
      if (error instanceof AppError) throw error;
      throw new AppError('IO', `Cannot copy the model into ${this.dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { path: this.dir });
    }
    return this.registry().load(card.id);
  }

  /** Removes one of the user's models; a bundled one cannot be. Clears the default when it was this one. */
  remove(id: string): { removed: string; defaultCleared: boolean } {
    if (!MODEL_ID.test(id)) throw new AppError('VALIDATION', `Not a model id: "${id}"`);
    const root = this.registry().rootOf(id);
    if (root === null) throw new AppError('NOT_FOUND', `No model "${id}" is installed`, { id });
    if (root !== this.dir) throw new AppError('BAD_INPUT', `Model "${id}" is bundled with Stratum (${join(root, id)}); only models you added can be removed`, { id });
    const defaultCleared = configuredDefaultModel(this.home) === id;
    if (defaultCleared) updateSettings(this.home, { defaultModel: null });
    rmSync(join(this.dir, id), { recursive: true, force: true });
    return { removed: id, defaultCleared };
  }

  /** Chooses the default model (verified first: a corrupt or missing one is refused); null: back to the built-in choice. */
  setDefault(id: string | null): ModelEntry | null {
    if (id === null) {
      updateSettings(this.home, { defaultModel: null });
      return null;
    }
    const registry = this.registry();
    if (registry.rootOf(id) === null) throw new AppError('NOT_FOUND', `No model "${id}" is installed`, { id });
    const entry = registry.load(id);
    updateSettings(this.home, { defaultModel: id });
    return entry;
  }
}

/** The regular files of a model folder, relative; links and special files are refused, hidden files skipped. */
function modelFiles(dir: string): string[] {
  const files: string[] = [];
  let total = 0;
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith('.')) continue;
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) {
        total += st.size;
        if (total > MAX_MODEL_FOLDER_BYTES) throw new AppError('TOO_LARGE', `${dir} holds more than ${MAX_MODEL_FOLDER_BYTES / 1024 ** 3} GB: not a model folder`, { path: dir });
        files.push(relative(dir, p));
      } else {
        throw new AppError('BAD_INPUT', `${p} is a link or a special file; a model folder holds plain files only`, { path: p });
      }
    }
  };
  walk(dir);
  return files;
}
