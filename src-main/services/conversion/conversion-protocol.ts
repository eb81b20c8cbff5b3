import type { WireError } from '../../../src-shared/contract';
import type { CatalogAttachResult } from './catalog-attach';

/** Messages between conversion-worker-client.ts and workers/conversion.worker.ts (the task goes as workerData). */
export type FromConversionWorker =
  | { type: 'progress'; fraction: number | null; stage: string; detail?: string }
  /** The worker asks the main thread to attach a mask to the catalog and waits for `attached`. */
  | { type: 'attach'; id: number; imagePath: string; width: number; height: number; data: Uint8Array }
  | { type: 'done'; result: unknown }
  | { type: 'failed'; error: WireError };

export type ToConversionWorker = { type: 'attached'; id: number; result?: CatalogAttachResult; error?: WireError };
