import { Worker } from 'node:worker_threads';
import { AppError, type WireError } from '../../../src-shared/contract';
import { FormatError, type FormatProblem } from '../../../src-shared/formats/errors';
import { builtWorkerPath } from '../../resources';
import type { SeriesStoreTask, StoredSeries } from './series-store';

/** Messages from workers/series-import.worker.ts (the task goes as workerData). */
export type FromSeriesWorker =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; result: StoredSeries }
  | { type: 'failed'; error: WireError };

/** A hostile file that makes a reader allocate without bound dies alone, not with the host. */
const WORKER_HEAP_MB = 2048;

/**
 * Decodes and stores every B-scan of a vendor file in its own worker thread (one per file, gone when
 * it ends), so the event loop stays free while a volume is converted. `progress` is called per B-scan;
 * when it throws (the job was cancelled) the worker is terminated and the promise rejects with that error.
 */
export function storeSeriesInWorker(task: SeriesStoreTask, progress: (done: number, total: number) => Promise<void> | void): Promise<StoredSeries> {
  const worker = new Worker(builtWorkerPath('series-import.worker.cjs', 'series import'), { workerData: task, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
  return new Promise<StoredSeries>((resolve, reject) => {
    let settled = false;
    /** The first outcome wins; the worker is ended either way. */
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      void worker.terminate();
      return true;
    };
    const finish = (error: Error): void => {
      if (settle()) reject(error);
    };
    const succeed = (result: StoredSeries): void => {
      if (settle()) resolve(result);
    };
    worker.on('message', (msg: FromSeriesWorker) => {
      if (msg.type === 'progress') {
        Promise.resolve()
          .then(() => progress(msg.done, msg.total))
          .catch((error: Error) => finish(error));
      } else if (msg.type === 'done') succeed(msg.result);
      else finish(fromWire(msg.error));
    });
    worker.on('error', (error) => {
      const code = (error as NodeJS.ErrnoException).code;
      finish(
        code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new FormatError(task.path, 'file', `reading it needed more than ${WORKER_HEAP_MB} MB of memory and was stopped`, 'too-large')
          : new AppError('INTERNAL', `The series import worker failed: ${error.message}`),
      );
    });
    worker.on('exit', (code) => finish(new AppError('INTERNAL', `The series import worker stopped (exit code ${code})`)));
  });
}

/** A reader's FormatError comes back as one again, so import sorts it into the right failure code. */
function fromWire(error: WireError): Error {
  const d = (error.details ?? {}) as { file?: unknown; field?: unknown; problem?: unknown };
  if (typeof d.file === 'string' && typeof d.field === 'string' && typeof d.problem === 'string') {
    const prefix = `${d.file}: ${d.field}: `;
    return new FormatError(d.file, d.field, error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message, d.problem as FormatProblem);
  }
  return AppError.fromWire(error);
}
