export interface EngineStatus {
  /** 'onnx' | 'tfjs' */
  engine: string;
  /** e.g. 'cpu', 'cuda', 'dml', 'coreml', 'tensorflow (tfjs-node-gpu)'; null before the first load. */
  executionProvider: string | null;
  /**
   * Before the first load: the provider the load will use by what this installation offers, and why
   * better ones are skipped (a GPU provider the build has can still fall back to cpu at load).
   */
  expectedProvider?: { provider: string; skipped: string[] };
  model: { id: string; name: string; version: string; trained: boolean } | null;
  /**
   * The arithmetic that runs once loaded: 'int8' where the ONNX engine runs the model's int8 variant (on
   * CPU), else 'float32'; before the first load, `expectedPrecision` says what the load will choose.
   */
  precision?: 'float32' | 'int8';
  expectedPrecision?: 'float32' | 'int8';
  /** Why no model is available, when none is. */
  problem?: string;
}

export interface AppInfo {
  name: string;
  version: string;
  host: 'electron' | 'node';
  versions: { node: string; electron: string | null; chrome: string | null; sqlite: string | null; sharp: string | null };
  paths: { home: string; catalog: string; library: string; resources: string };
  platform: string;
  engine: EngineStatus;
}

/** A library file (relative to library/) and the catalog scans stored as it (deleted ones included). */
export interface LibraryFileProblem {
  file: string;
  scanIds: number[];
}

export interface DataFolderCheck {
  home: string;
  writable: boolean;
  libraryFiles: number;
  /** Files whose content no longer hashes to their name (the content address). */
  corruptFiles: LibraryFileProblem[];
  /** Files a scan is stored as that are not in the library. */
  missingFiles: LibraryFileProblem[];
  /** Every scan whose stored image is corrupt or missing, ascending. */
  affectedScans: number[];
  catalogIntegrity: string;
}
