/**
 * The inference worker: loads one model once, keeps a queue, batches requests of the same tensor size,
 * overlaps post-processing of one batch with the network run of the next, and drops cancelled requests
 * that are still queued. Talks to services/segmentation/inference-client.ts (protocol.ts).
 */
import { parentPort } from 'node:worker_threads';
import { round } from '../../src-shared/analysis/numbers';
import { AppError, toWireError } from '../../src-shared/contract';
import { ModelRegistry } from '../services/models/registry';
import { createEngine, engineForModel, type EngineOutputs, type SegmentationEngine } from '../services/segmentation/engine';
import { postprocess, type SegmentRequest } from '../services/segmentation/postprocess';
import { imageWidthInTensor, mirrorInput, preprocess, type Prepared } from '../services/segmentation/preprocess';
import type { FromWorker, ToWorker } from '../services/segmentation/protocol';

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
 * The flip check: each image also runs mirrored left-right, and the share of the retina whose label
 * changes is one of the quality flags (the network's own doubt). It doubles the network's work per image
 * (measured in scripts/bench/segment.bench.ts); STRATUM_FLIP_CHECK=0 turns it off, and the flag then
 * says it was not measured.
 */
const flipCheck = process.env.STRATUM_FLIP_CHECK !== '0';
const queue: Item[] = [];
let pumping = false;

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

/** Tensors per image in a batch: the image, and its mirror when the flip check runs. */
const runsPerImage = () => (flipCheck ? 2 : 1);

/** The network input of one item: its tensor, followed by its mirror when the flip check runs. */
function inputsOf(item: Item): Float32Array[] {
  const p = item.prepared!;
  return flipCheck ? [p.data, mirrorInput(p, imageWidthInTensor(p, item.req.width))] : [p.data];
}

function finish(batch: Item[], outputs: EngineOutputs): void {
  const { logits, surfaces } = outputs;
  const runs = runsPerImage();
  const perRun = logits.length / (batch.length * runs);
  const rowsPerRun = surfaces ? surfaces.length / (batch.length * runs) : 0;
  batch.forEach((item, k) => {
    try {
      const first = k * runs;
      const rows = surfaces?.subarray(first * rowsPerRun, (first + 1) * rowsPerRun);
      const mirrored = runs === 2 ? { logits, offset: (first + 1) * perRun } : null;
      const r = postprocess(engine!, item.req, item.prepared!, logits, first * perRun, item.timings, rows, mirrored);
      send({ type: 'result', id: item.id, labels: r.labels, summary: r.summary }, [r.labels.buffer as ArrayBuffer]);
    } catch (error) {
      send({ type: 'error', id: item.id, error: toWireError(error) });
    }
  });
}

async function pump(): Promise<void> {
  if (pumping || !engine) return;
  pumping = true;
  let prev: { batch: Item[]; outputs: EngineOutputs } | null = null;
  try {
    while (queue.length > 0 || prev) {
      if (queue.length === 0) {
        finish(prev!.batch, prev!.outputs);
        prev = null;
        continue;
      }
      const batch = takeBatch();
      const p = batch[0]!.prepared!;
      const parts = batch.flatMap(inputsOf);
      const input = parts.length === 1 ? parts[0]! : concat(parts);
      const t0 = performance.now();
      const n = parts.length;
      const running = engine.runOutputs
        ? engine.runOutputs(input, n, p.height, p.width)
        : engine.run(input, n, p.height, p.width).then((logits): EngineOutputs => ({ logits }));
      // post-process the previous batch while the network runs on this one
      if (prev) finish(prev.batch, prev.outputs);
      prev = null;
      try {
        const outputs = await running;
        const ms = round((performance.now() - t0) / batch.length);
        for (const b of batch) {
          b.timings.inference = ms;
          b.timings.batch = batch.length;
          // 2: the inference time includes the mirrored run of the flip check
          b.timings.runsPerImage = runsPerImage();
        }
        prev = { batch, outputs };
      } catch (error) {
        for (const b of batch) send({ type: 'error', id: b.id, error: toWireError(error) });
      }
      // let cancel messages in before the next batch
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
          const registry = new ModelRegistry(msg.modelsRoot);
          const model = registry.resolve(msg.modelId);
          const kind = msg.engine ?? engineForModel(model);
          if (kind !== engineForModel(model)) {
            throw new AppError('MODEL_UNAVAILABLE', `Model "${model.card.id}" (${model.card.format}) cannot run on the ${kind} engine`);
          }
          engine = await createEngine(kind, model);
          batchSize = msg.batchSize ?? (Number(process.env.STRATUM_BATCH) || (engine.executionProvider === 'cpu' ? 1 : 4));
          const card = model.card;
          const fallbacks = (engine as { fallbacks?: string[] }).fallbacks ?? [];
          send({
            type: 'ready',
            status: {
              engine: engine.kind,
              executionProvider: engine.executionProvider,
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
