/**
 * Post-processing in a thread of its own: ONNX Runtime's Node binding runs the network synchronously on
 * the thread that calls it (its run() only defers to setImmediate), so post-processing on the inference
 * worker's thread would wait for every network run, and the network for every post-processing. Here it
 * runs while the inference worker's thread is inside the next image's network run. Started by
 * workers/inference.worker.ts, one per inference worker.
 */
import { parentPort } from 'node:worker_threads';
import { needsFlipCheck } from '../../src-shared/analysis/segmentation';
import { AppError, toWireError } from '../../src-shared/contract/errors';
import { postprocess, type EngineFacts } from '../services/segmentation/postprocess';
import type { FlipMode, FromPostprocess, ToPostprocess } from '../services/segmentation/protocol';

const port = parentPort;
if (!port) throw new Error('postprocess.worker must run in a worker thread');

let facts: EngineFacts | null = null;
let flipMode: FlipMode = 'gated';

function send(msg: FromPostprocess, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(msg, transfer);
}

port.on('message', (msg: ToPostprocess) => {
  if (msg.type === 'init') {
    facts = msg.facts;
    flipMode = msg.flipMode;
    return;
  }
  try {
    if (!facts) throw new AppError('INTERNAL', 'post-processing worker used before init');
    const r = postprocess(facts, msg.req, msg.tensor, msg.logits, msg.offset, msg.timings, msg.surfaceRows);
    const entropy = r.summary.flags.measures?.['high-entropy'] ?? null;
    const wanted = msg.mirrorable && (flipMode === 'always' || (flipMode === 'gated' && needsFlipCheck(entropy, r.summary.flags)));
    const transfer = [r.labels.buffer as ArrayBuffer];
    // the argmax may share the labels' buffer (a surface model's labels decoded in place): transfer it once
    if (wanted && r.flipBasis.argmax.buffer !== r.labels.buffer) transfer.push(r.flipBasis.argmax.buffer as ArrayBuffer);
    send({ type: 'done', id: msg.id, labels: r.labels, summary: r.summary, flipBasis: wanted ? r.flipBasis : null }, transfer);
  } catch (error) {
    send({ type: 'failed', id: msg.id, error: toWireError(error) });
  }
});
