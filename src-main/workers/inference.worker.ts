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
import { mirroredLabels, postprocess, type SegmentRequest } from '../services/segmentation/postprocess';
import { imageWidthInTensor, isDownscaled, mirrorInput, preprocess, type Prepared } from '../services/segmentation/preprocess';
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

/** The network's outputs for a batch, and per image the argmax of its mirrored run when the flip check runs. */
interface BatchOutputs {
  outputs: EngineOutputs;
  mirrored: (Uint8Array | null)[] | null;
}

function runNetwork(input: Float32Array, n: number, height: number, width: number): Promise<EngineOutputs> {
  return engine!.runOutputs ? engine!.runOutputs(input, n, height, width) : engine!.run(input, n, height, width).then((logits): EngineOutputs => ({ logits }));
}

const joined = (parts: Float32Array[]) => (parts.length === 1 ? parts[0]! : concat(parts));

/**
 * The batch through the network, then (flip check) the mirrored batch in a second run: one after the
 * other, so peak memory stays that of one run (a 4 MP image needs about 1 GB in ONNX Runtime) rather
 * than two. The mirrored input is made only once the first run is done.
 */
async function runBatch(batch: Item[]): Promise<BatchOutputs> {
  const p = batch[0]!.prepared!;
  const outputs = await runNetwork(joined(batch.map((b) => b.prepared!.data)), batch.length, p.height, p.width);
  // an image downscaled to bound memory (preprocess.ts tensorSize) is not run twice: its flip check is
  // skipped, and the flag says it was not measured
  const mirrorable = batch.filter((b) => !isDownscaled(engine!.model.card, b.prepared!, b.req.width, b.req.height));
  if (!flipCheck || mirrorable.length === 0) return { outputs, mirrored: null };
  const mirror = joined(mirrorable.map((b) => mirrorInput(b.prepared!, imageWidthInTensor(b.prepared!, b.req.width))));
  const logits = (await runNetwork(mirror, mirrorable.length, p.height, p.width)).logits;
  const perImage = logits.length / mirrorable.length;
  // keep the labels only: the mirrored logits (36 bytes a pixel) are free to go before post-processing
  return { outputs, mirrored: batch.map((b) => {
    const k = mirrorable.indexOf(b);
    return k < 0 ? null : mirroredLabels(engine!, b.req, b.prepared!, { logits, offset: k * perImage });
  }) };
}

function finish(batch: Item[], { outputs, mirrored }: BatchOutputs): void {
  const { logits, surfaces } = outputs;
  const perImage = logits.length / batch.length;
  const rowsPerImage = surfaces ? surfaces.length / batch.length : 0;
  batch.forEach((item, k) => {
    try {
      const rows = surfaces?.subarray(k * rowsPerImage, (k + 1) * rowsPerImage);
      const r = postprocess(engine!, item.req, item.prepared!, logits, k * perImage, item.timings, rows, mirrored?.[k] ?? null);
      send({ type: 'result', id: item.id, labels: r.labels, summary: r.summary }, [r.labels.buffer as ArrayBuffer]);
    } catch (error) {
      send({ type: 'error', id: item.id, error: toWireError(error) });
    }
  });
}

async function pump(): Promise<void> {
  if (pumping || !engine) return;
  pumping = true;
  let prev: { batch: Item[]; outputs: BatchOutputs } | null = null;
  try {
    while (queue.length > 0 || prev) {
      if (queue.length === 0) {
        finish(prev!.batch, prev!.outputs);
        prev = null;
        continue;
      }
      const batch = takeBatch();
      const t0 = performance.now();
      const running = runBatch(batch);
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
          b.timings.runsPerImage = flipCheck ? 2 : 1;
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
