import { Worker } from 'node:worker_threads';
import { AppError } from '../../../src-shared/contract';
import type { EngineStatus } from '../../../src-shared/domain/app-info';
import { builtWorkerPath } from '../../resources';
import type { EngineKind } from './engine';
import type { SegmentRequest, SegmentResult } from './postprocess';
import type { FromWorker, ToWorker } from './protocol';

export interface InferenceOptions {
  modelsRoot?: string;
  modelId?: string;
  engine?: EngineKind;
  batchSize?: number;
}

interface Pending {
  resolve: (r: SegmentResult) => void;
  reject: (e: Error) => void;
}

/**
 * The main-side handle on the inference worker: one worker (so one model load) per client, requests
 * queue in the worker, an AbortSignal cancels a request that is still queued.
 */
export class InferenceClient {
  private worker: Worker | null = null;
  private ready: Promise<EngineStatus> | null = null;
  private lastStatus: EngineStatus | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** The requests waiting on each caller's AbortSignal, and the one listener that cancels them. */
  private readonly bySignal = new Map<AbortSignal, { ids: Set<number>; onAbort: () => void }>();
  fallbacks: string[] = [];
  loadMs = 0;
  /** closeWhenIdle was called: the worker exits when its last request is answered. */
  private retiring = false;

  constructor(private readonly options: InferenceOptions = {}) {}

  /** Starts the worker and loads the model (once); resolves to what runs. */
  start(): Promise<EngineStatus> {
    if (this.ready) return this.ready;
    this.ready = new Promise<EngineStatus>((resolve, reject) => {
      let worker: Worker;
      try {
        worker = new Worker(builtWorkerPath('inference.worker.cjs', 'inference'));
      } catch (error) {
        reject(error);
        return;
      }
      this.worker = worker;
      worker.unref();
      worker.on('message', (msg: FromWorker) => {
        switch (msg.type) {
          case 'ready':
            this.lastStatus = msg.status;
            this.fallbacks = msg.fallbacks;
            this.loadMs = msg.loadMs;
            resolve(msg.status);
            break;
          case 'init-error':
            reject(AppError.fromWire(msg.error));
            void this.close();
            break;
          case 'result': {
            const p = this.pending.get(msg.id);
            this.pending.delete(msg.id);
            this.updateRef();
            p?.resolve({ labels: msg.labels, summary: msg.summary });
            break;
          }
          case 'error': {
            const p = this.pending.get(msg.id);
            this.pending.delete(msg.id);
            this.updateRef();
            p?.reject(AppError.fromWire(msg.error));
            break;
          }
        }
      });
      worker.on('error', (error) => {
        reject(error);
        this.failAll(new AppError('INTERNAL', `Inference worker crashed: ${error.message}`));
      });
      worker.on('exit', () => {
        this.failAll(new AppError('INTERNAL', 'Inference worker exited'));
        this.worker = null;
        this.ready = null;
      });
      this.post({ type: 'init', ...this.options });
    });
    this.ready.catch(() => {
      this.ready = null;
    });
    return this.ready;
  }

  /** The engine status once loaded, else null. */
  status(): EngineStatus | null {
    return this.lastStatus;
  }

  async segment(req: SegmentRequest, signal?: AbortSignal): Promise<SegmentResult> {
    await this.start();
    if (signal?.aborted) throw new AppError('CANCELLED', 'Cancelled.');
    const id = this.nextId++;
    return new Promise<SegmentResult>((resolve, reject) => {
      const settle = () => this.unwatch(signal, id);
      this.pending.set(id, {
        resolve: (r) => (settle(), resolve(r)),
        reject: (e) => (settle(), reject(e)),
      });
      this.updateRef();
      // the grey buffer is transferred (zero-copy) when it owns its memory
      const copy = req.grey.byteOffset === 0 && req.grey.byteLength === req.grey.buffer.byteLength ? req.grey : req.grey.slice();
      this.post({ type: 'segment', id, req: { ...req, grey: copy } }, [copy.buffer as ArrayBuffer]);
      this.watch(signal, id);
    });
  }

  /**
   * One 'abort' listener per signal, however many requests share it: a job queues all its scans at once,
   * and one listener per request put more than 10 on the job's signal (MaxListenersExceededWarning).
   */
  private watch(signal: AbortSignal | undefined, id: number): void {
    if (!signal) return;
    let watched = this.bySignal.get(signal);
    if (!watched) {
      const ids = new Set<number>();
      const onAbort = () => this.post({ type: 'cancel', ids: [...ids] });
      watched = { ids, onAbort };
      this.bySignal.set(signal, watched);
      signal.addEventListener('abort', onAbort, { once: true });
    }
    watched.ids.add(id);
  }

  private unwatch(signal: AbortSignal | undefined, id: number): void {
    const watched = signal && this.bySignal.get(signal);
    if (!watched) return;
    watched.ids.delete(id);
    if (watched.ids.size === 0) {
      signal.removeEventListener('abort', watched.onAbort);
      this.bySignal.delete(signal);
    }
  }

  /**
   * Closes once the load in progress and the requests already made are answered: a model switch must not
   * fail a run that is under way.
   */
  async closeWhenIdle(): Promise<void> {
    this.retiring = true;
    await this.ready?.catch(() => undefined);
    this.updateRef();
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    this.ready = null;
    if (w) await w.terminate();
  }

  private post(msg: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.worker?.postMessage(msg, transfer);
  }

  /** Keep the process alive only while requests are outstanding. */
  private updateRef(): void {
    if (!this.worker) return;
    if (this.retiring && this.pending.size === 0) {
      void this.close();
      return;
    }
    if (this.pending.size > 0) this.worker.ref();
    else this.worker.unref();
  }

  private failAll(error: Error): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}
