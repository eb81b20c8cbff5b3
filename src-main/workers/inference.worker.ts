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
import { applyFlipCheck, needsFlipCheck } from '../../src-shared/analysis/segmentation';
import { flipCheckOf, mirroredLabels, postprocess, type SegmentRequest } from '../services/segmentation/postprocess';
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
 * The flip check: the image runs mirrored left-right, and the share of the retina whose label changes is
 * one of the quality flags (the network's own doubt). It doubles the network's work for the image it runs
 * on, so it runs where it can decide something (analysis/segmentation/flip-gate.ts): after
 * post-processing, for an unflagged scan whose entropy is above the gate. STRATUM_FLIP_CHECK=0 turns it
 * off, =always runs it on every image (scripts/flip-gate-evidence.ts measures the gate that way).
 */
const flipMode: 'off' | 'gated' | 'always' =
  process.env.STRATUM_FLIP_CHECK === '0' ? 'off' : process.env.STRATUM_FLIP_CHECK === 'always' ? 'always' : 'gated';
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

/** A post-processed image waiting for its flip check's network run before its result goes out. */
interface FlipPending {
  item: Item;
  result: ReturnType<typeof postprocess>;
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

function sendResult(item: Item, r: ReturnType<typeof postprocess>): void {
  send({ type: 'result', id: item.id, labels: r.labels, summary: r.summary }, [r.labels.buffer as ArrayBuffer]);
}

/**
 * Post-processing of a batch (on this thread, while the network runs the next one). Results go out at
 * once, except those the flip gate holds back for a mirrored run (returned).
 */
function analyse(batch: Item[], { logits, surfaces }: EngineOutputs): FlipPending[] {
  const perImage = logits.length / batch.length;
  const rowsPerImage = surfaces ? surfaces.length / batch.length : 0;
  const pending: FlipPending[] = [];
  batch.forEach((item, k) => {
    try {
      const rows = surfaces?.subarray(k * rowsPerImage, (k + 1) * rowsPerImage);
      const r = postprocess(engine!, item.req, item.prepared!, logits, k * perImage, item.timings, rows);
      // an image downscaled to bound memory (preprocess.ts tensorSize) is not run twice; its flag says so
      const mirrorable = !isDownscaled(engine!.model.card, item.prepared!, item.req.width, item.req.height);
      const wanted = flipMode === 'always' || (flipMode === 'gated' && needsFlipCheck(r.summary.flags.measures?.['high-entropy'] ?? null, r.summary.flags));
      if (mirrorable && wanted) pending.push({ item, result: r });
      else sendResult(item, r);
    } catch (error) {
      send({ type: 'error', id: item.id, error: toWireError(error) });
    }
  });
  return pending;
}

/**
 * The mirrored runs the gate asked for, one image at a time (peak memory stays that of one run: a 4 MP
 * image needs about 1 GB in ONNX Runtime), each result completed with its flip check and sent.
 */
async function flipChecks(pending: FlipPending[]): Promise<void> {
  for (const { item, result } of pending) {
    try {
      const t0 = performance.now();
      const p = item.prepared!;
      const mirror = mirrorInput(p, imageWidthInTensor(p, item.req.width));
      const logits = (await runNetwork(mirror, 1, p.height, p.width)).logits;
      const disagreement = flipCheckOf(result.flipBasis, mirroredLabels(engine!, item.req, p, { logits, offset: 0 }));
      applyFlipCheck(result.summary.flags, disagreement);
      result.summary.timings = { ...result.summary.timings, flipCheck: round(performance.now() - t0), runsPerImage: 2 };
      sendResult(item, result);
    } catch (error) {
      send({ type: 'error', id: item.id, error: toWireError(error) });
    }
  }
}

async function pump(): Promise<void> {
  if (pumping || !engine) return;
  pumping = true;
  let prev: { batch: Item[]; outputs: EngineOutputs } | null = null;
  try {
    while (queue.length > 0 || prev) {
      if (queue.length === 0) {
        await flipChecks(analyse(prev!.batch, prev!.outputs));
        prev = null;
        continue;
      }
      const batch = takeBatch();
      const t0 = performance.now();
      const running = runBatch(batch);
      // post-process the previous batch while the network runs on this one; its flip checks (network
      // runs) wait until this batch's run is done
      const pending = prev ? analyse(prev.batch, prev.outputs) : [];
      prev = null;
      try {
        const outputs = await running;
        const ms = round((performance.now() - t0) / batch.length);
        for (const b of batch) {
          b.timings.inference = ms;
          b.timings.batch = batch.length;
          b.timings.runsPerImage = 1; // 2 once a flip check has run (flipChecks)
        }
        prev = { batch, outputs };
      } catch (error) {
        for (const b of batch) send({ type: 'error', id: b.id, error: toWireError(error) });
      }
      await flipChecks(pending);
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
