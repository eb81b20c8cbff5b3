import { Worker } from 'node:worker_threads';
import { AppError, toWireError } from '../../../src-shared/contract';
import { builtWorkerPath } from '../../resources';
import type { Progress } from './annotations-to-masks';
import type { MaskAttacher } from './catalog-attach';
import type { FromConversionWorker, ToConversionWorker } from './conversion-protocol';
import type { ConversionResult, ConversionTask } from './conversion-task';

/** A runaway conversion dies alone (ERR_WORKER_OUT_OF_MEMORY) instead of taking the host with it. */
const WORKER_HEAP_MB = 4096;

export interface WorkerRunOptions {
  progress?: Progress;
  /** Aborting terminates the worker at once (even mid-polygon) and rejects with CANCELLED. */
  signal?: AbortSignal;
  /** Where masks go into the catalog; the worker asks for each one. */
  attach?: MaskAttacher;
}

/** Runs one conversion in its own worker thread; one worker per run, gone when the run ends. */
export function runConversionInWorker<T extends ConversionTask>(task: T, options: WorkerRunOptions = {}): Promise<ConversionResult<T>> {
  if (options.signal?.aborted) return Promise.reject(new AppError('CANCELLED', 'Cancelled.'));
  const worker = new Worker(builtWorkerPath('conversion.worker.cjs', 'conversion'), { workerData: task, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
  return new Promise<ConversionResult<T>>((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | null, result?: unknown) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if (error) reject(error);
      else resolve(result as ConversionResult<T>);
    };
    const onAbort = () => finish(new AppError('CANCELLED', 'Cancelled.'));
    options.signal?.addEventListener('abort', onAbort, { once: true });

    worker.on('message', (msg: FromConversionWorker) => {
      switch (msg.type) {
        case 'progress':
          // The job's progress throws CANCELLED once cancelled: that ends the run too.
          options.progress?.(msg.fraction, msg.stage, msg.detail).catch((error: Error) => finish(error));
          break;
        case 'attach':
          void answerAttach(worker, msg, options.attach);
          break;
        case 'done':
          finish(null, msg.result);
          break;
        case 'failed':
          finish(AppError.fromWire(msg.error));
          break;
      }
    });
    worker.on('error', (error) => {
      const code = (error as NodeJS.ErrnoException).code;
      finish(
        code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new AppError('TOO_LARGE', `The conversion needed more than ${WORKER_HEAP_MB} MB of memory and was stopped`)
          : new AppError('INTERNAL', `The conversion worker failed: ${error.message}`),
      );
    });
    worker.on('exit', (code) => finish(new AppError('INTERNAL', `The conversion worker stopped (exit code ${code})`)));
  });
}

async function answerAttach(worker: Worker, msg: Extract<FromConversionWorker, { type: 'attach' }>, attach: MaskAttacher | undefined): Promise<void> {
  let reply: ToConversionWorker;
  try {
    if (!attach) throw new AppError('INTERNAL', 'This conversion was not asked to attach masks to the catalog');
    reply = { type: 'attached', id: msg.id, result: await attach(msg.imagePath, { width: msg.width, height: msg.height, data: msg.data }) };
  } catch (error) {
    reply = { type: 'attached', id: msg.id, error: toWireError(error) };
  }
  worker.postMessage(reply);
}
