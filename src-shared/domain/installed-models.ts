/** What a model id may be: it names a folder (resources/models/<id>, <data folder>/models/<id>), so no separators, no leading dot. */
export const MODEL_ID = /^[\w][\w.-]*$/;

/** One installed segmentation model as the settings list it (app.models). */
export interface InstalledModel {
  id: string;
  name: string | null;
  version: string | null;
  /** The arithmetic its file runs in (an int8 variant made by training/quantize, else float32). */
  precision: 'float32' | 'int8' | null;
  trained: boolean | null;
  /** Bundled with Stratum (resources/models) or added by the user (the data folder's models/). */
  source: 'bundled' | 'user';
  /** False where its card or weights are missing or corrupt: it cannot run, nor be the default. */
  valid: boolean;
  problem: string | null;
  isDefault: boolean;
}

export interface InstalledModels {
  models: InstalledModel[];
  /** The model segmentation uses when none is named; chosen: set in the settings, not the built-in choice. */
  defaultModel: { id: string; chosen: boolean } | { problem: string };
}
