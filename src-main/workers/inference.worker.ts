/**
 * The inference worker: loads one model once, keeps a queue, batches requests of the same tensor size,
 * runs the network, and hands each image's outputs to its post-processing thread
 * (workers/postprocess.worker.ts), so that post-processing of one image runs while the network runs the
 * next: ONNX Runtime's Node binding runs the network synchronously on this thread, so here the two could
 * not overlap. Drops cancelled requests that are still queued. Talks to
 * services/segmentation/inference-client.ts (protocol.ts).
 */
import { Worker, parentPort } from 'node:worker_threads';
import { round } from '../../src-shared/analysis/numbers';
import { applyFlipCheck } from '../../src-shared/analysis/segmentation';
import { AppError, toWireError, type WireError } from '../../src-shared/contract/errors';
import { builtWorkerPath } from '../resources';
import { ModelRegistry } from '../services/models/registry';
import { createEngine, engineForModel, type EngineOutputs, type SegmentationEngine } from '../services/segmentation/engine';
import { engineFacts, flipCheckOf, mirroredLabels, type FlipBasis, type SegmentRequest } from '../services/segmentation/postprocess';
import { imageWidthInTensor, isDownscaled, mirrorInput, preprocess, type Prepared } from '../services/segmentation/preprocess';
import { flipModeOf, type FromPostprocess, type FromWorker, type ToPostprocess, type ToWorker } from '../services/segmentation/protocol';
import type { SegmentationSummary } from '../../src-shared/domain/segmentation';

const port = parentPort;
if (!port) throw new Error('inference.worker must run in a worker thread');

interface Item {
  id: number;
  req: SegmentRequest;
  prepared?: Prepared;
  timings: Record<string, number>;
}

let engine: SegmentationEngine | null = null;
/** Batch size: 1 on CPU (measured: batching costs ~20% more CPU per image there), 4 on GPU providers; STRATUM_BATCH overrides. */
let batchSize = 1;
/**
 * The flip check: the image runs mirrored left-right, and the share of the retina whose label changes is
 * one of the quality flags (the network's own doubt). It doubles the network's work for the image it runs
 * on, so it runs where it can decide something (analysis/segmentation/flip-gate.ts): after
 * post-processing, for an unflagged scan whose entropy is above the gate. STRATUM_FLIP_CHECK=0 turns it
 * off, =always runs it on every image (scripts/flip-gate-evidence.ts measures the gate that way).
 */
const flipMode = flipModeOf(process.env.STRATUM_FLIP_CHECK);
const queue: Item[] = [];
let pumping = false;
/**
 * Images whose outputs are with the post-processing thread. At most MAX_IN_FLIGHT: the network waits
 * rather than pile up logits (36 bytes a pixel) when post-processing falls behind.
 */
const inFlight = new Map<number, Item>();
const MAX_IN_FLIGHT = 2;
/** Post-processed images the flip gate sent back for their mirrored run (before any new image). */
const flipQueue: { item: Item; labels: Uint8Array; summary: SegmentationSummary; basis: FlipBasis }[] = [];
let postprocessor: Worker | null = null;
/** Wakes the pump when it waits for the post-processing thread. */
let wake: (() => void) | null = null;

function send(msg: FromWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(msg, transfer);
}

function prepare(item: Item): Prepared {
  if (!item.prepared) {
    const t0 = performance.now();
    item.prepared = preprocess(engine!.model.card, item.req.grey, item.req.width, item.req.height);
    item.timings.preprocess = round(performance.now() - t0);
  }
  return item.prepared;
}

/** Up to batchSize queued items whose tensors have the same size as the first one. */
function takeBatch(): Item[] {
  const first = queue.shift()!;
  const p = prepare(first);
  const batch = [first];
  for (let i = 0; i < queue.length && batch.length < batchSize; ) {
    const q = prepare(queue[i]!);
    if (q.width === p.width && q.height === p.height) batch.push(...queue.splice(i, 1));
    else i++;
  }
  return batch;
}

function runNetwork(input: Float32Array, n: number, height: number, width: number): Promise<EngineOutputs> {
  return engine!.runOutputs ? engine!.runOutputs(input, n, height, width) : engine!.run(input, n, height, width).then((logits): EngineOutputs => ({ logits }));
}

const joined = (parts: Float32Array[]) => (parts.length === 1 ? parts[0]! : concat(parts));

/** The batch through the network. */
function runBatch(batch: Item[]): Promise<EngineOutputs> {
  const p = batch[0]!.prepared!;
  return runNetwork(joined(batch.map((b) => b.prepared!.data)), batch.length, p.height, p.width);
}

function sendResult(item: Item, labels: Uint8Array, summary: SegmentationSummary): void {
  send({ type: 'result', id: item.id, labels, summary }, [labels.buffer as ArrayBuffer]);
}

function failed(id: number, error: WireError): void {
  send({ type: 'error', id, error });
}

/**
 * The post-processing thread; an exit fails the images it held. Started while the model loads (its
 * start-up is on the path of a cold single-image segment), told the engine's facts once it has loaded.
 */
function startPostprocessor(): Worker {
  const w = new Worker(builtWorkerPath('postprocess.worker.cjs', 'post-processing'));
  if (engine) w.postMessage({ type: 'init', facts: engineFacts(engine), flipMode } satisfies ToPostprocess);
  w.on('message', onPostprocessed);
  const lost = (why: string) => {
    if (postprocessor !== w) return;
    postprocessor = null;
    for (const id of inFlight.keys()) failed(id, { code: 'INTERNAL', message: `Post-processing stopped (${why}); segment the scan again.` });
    inFlight.clear();
    wake?.();
  };
  w.on('error', (e) => lost(e.message));
  w.on('exit', (code) => lost(`exit code ${code}`));
  return w;
}

function onPostprocessed(msg: FromPostprocess): void {
  const item = inFlight.get(msg.id);
  if (!item) return;
  inFlight.delete(msg.id);
  if (msg.type === 'failed') failed(msg.id, msg.error);
  else if (msg.flipBasis) flipQueue.push({ item, labels: msg.labels, summary: msg.summary, basis: msg.flipBasis });
  else sendResult(item, msg.labels, msg.summary);
  wake?.();
  void pump();
}

/**
 * Each image of the batch to the post-processing thread. ONNX Runtime's output buffer is transferred
 * when it holds exactly this image (batch 1); a batch's shared buffer is copied per image.
 */
function dispatch(batch: Item[], { logits, surfaces }: EngineOutputs): void {
  postprocessor ??= startPostprocessor();
  const perImage = logits.length / batch.length;
  const rowsPerImage = surfaces ? surfaces.length / batch.length : 0;
  batch.forEach((item, k) => {
    const own = batch.length === 1 ? logits : logits.slice(k * perImage, (k + 1) * perImage);
    const rows = surfaces && (batch.length === 1 ? surfaces : surfaces.slice(k * rowsPerImage, (k + 1) * rowsPerImage));
    const p = item.prepared!;
    const job: ToPostprocess = {
      type: 'job', id: item.id, req: item.req, tensor: { width: p.width, height: p.height, mapBack: p.mapBack },
      logits: own, offset: 0, surfaceRows: rows, timings: item.timings,
      mirrorable: !isDownscaled(engine!.model.card, p, item.req.width, item.req.height),
    };
    inFlight.set(item.id, item);
    try {
      postprocessor!.postMessage(job, [own.buffer as ArrayBuffer, ...(rows ? [rows.buffer as ArrayBuffer] : [])]);
    } catch {
      postprocessor!.postMessage(job); // a buffer ONNX Runtime owns cannot be transferred: copied instead
    }
  });
}

/**
 * The mirrored run the gate asked for (one image at a time: peak memory stays that of one run, a 4 MP
 * image needs about 1 GB in ONNX Runtime); the result is completed with its flip check and sent.
 */
async function flipCheck({ item, labels, summary, basis }: (typeof flipQueue)[number]): Promise<void> {
  try {
    const t0 = performance.now();
    const p = item.prepared!;
    const mirror = mirrorInput(p, imageWidthInTensor(p, item.req.width));
    const logits = (await runNetwork(mirror, 1, p.height, p.width)).logits;
    applyFlipCheck(summary.flags, flipCheckOf(basis, mirroredLabels(engineFacts(engine!), item.req, p, { logits, offset: 0 })));
    summary.timings = { ...summary.timings, flipCheck: round(performance.now() - t0), runsPerImage: 2 };
    sendResult(item, labels, summary);
  } catch (error) {
    failed(item.id, toWireError(error));
  }
}

async function pump(): Promise<void> {
  if (pumping || !engine) return;
  pumping = true;
  try {
    while (queue.length > 0 || flipQueue.length > 0) {
      if (flipQueue.length > 0) {
        await flipCheck(flipQueue.shift()!);
      } else if (inFlight.size >= MAX_IN_FLIGHT) {
        await new Promise<void>((r) => (wake = r));
        wake = null;
      } else {
        const batch = takeBatch();
        const t0 = performance.now();
        try {
          const outputs = await runBatch(batch);
          const ms = round((performance.now() - t0) / batch.length);
          for (const b of batch) {
            b.timings.inference = ms;
            b.timings.batch = batch.length;
            b.timings.runsPerImage = 1; // 2 once a flip check has run (flipCheck)
          }
          dispatch(batch, outputs);
        } catch (error) {
          for (const b of batch) failed(b.id, toWireError(error));
        }
      }
      // let post-processed results and cancel messages in before the next network run
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    pumping = false;
  }
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

port.on('message', (msg: ToWorker) => {
  switch (msg.type) {
    case 'init':
      void (async () => {
        try {
          const t0 = performance.now();
          postprocessor ??= startPostprocessor();
          const registry = new ModelRegistry(msg.modelsRoot);
          const model = registry.resolve(msg.modelId);
          const kind = msg.engine ?? engineForModel(model);
          if (kind !== engineForModel(model)) {
            throw new AppError('MODEL_UNAVAILABLE', `Model "${model.card.id}" (${model.card.format}) cannot run on the ${kind} engine`);
          }
          engine = await createEngine(kind, model);
          postprocessor?.postMessage({ type: 'init', facts: engineFacts(engine), flipMode } satisfies ToPostprocess);
          batchSize = msg.batchSize ?? (Number(process.env.STRATUM_BATCH) || (engine.executionProvider === 'cpu' ? 1 : 4));
          const card = model.card;
          const fallbacks = (engine as { fallbacks?: string[] }).fallbacks ?? [];
          send({
            type: 'ready',
            status: {
              engine: engine.kind,
              executionProvider: engine.executionProvider,
              precision: engine.precision ?? 'float32',
              model: { id: card.id, name: card.name, version: card.version, trained: card.trained },
            },
            fallbacks,
            loadMs: round(performance.now() - t0),
          });
          void pump();
        } catch (error) {
          send({ type: 'init-error', error: toWireError(error) });
        }
      })();
      break;
    case 'segment':
      queue.push({ id: msg.id, req: msg.req, timings: {} });
      void pump();
      break;
    case 'cancel': {
      const ids = new Set(msg.ids);
      for (let i = queue.length - 1; i >= 0; i--) {
        if (ids.has(queue[i]!.id)) {
          const [item] = queue.splice(i, 1);
          send({ type: 'error', id: item!.id, error: { code: 'CANCELLED', message: 'Cancelled.' } });
        }
      }
      break;
    }
  }
});
