export interface EngineStatus {
  /** 'onnx' | 'tfjs' */
  engine: string;
  /** e.g. 'cpu', 'cuda', 'dml', 'coreml', 'tensorflow (tfjs-node-gpu)'; null before the first load. */
  executionProvider: string | null;
  model: { id: string; name: string; version: string; trained: boolean } | null;
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

export interface DataFolderCheck {
  home: string;
  writable: boolean;
  libraryFiles: number;
  corruptFiles: string[];
  catalogIntegrity: string;
}
