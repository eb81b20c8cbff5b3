/**
 * The conversion worker: runs one annotation conversion (VGG, COCO, grey masks, masks to VGG) off the
 * main thread. Rasterising and auditing a large annotation file takes seconds of pure CPU; here it blocks
 * nobody, and cancelling the job terminates this thread mid-polygon. Talks to
 * services/conversion/conversion-worker-client.ts (conversion-protocol.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppError, toWireError } from '../../src-shared/contract';
import type { CatalogAttachResult, MaskAttacher } from '../services/conversion/catalog-attach';
import type { FromConversionWorker, ToConversionWorker } from '../services/conversion/conversion-protocol';
import { runConversionTask, type ConversionTask } from '../services/conversion/conversion-task';

const port = parentPort;
if (!port) throw new Error('conversion.worker must run in a worker thread');

const send = (msg: FromConversionWorker) => port.postMessage(msg);
const waiting = new Map<number, { resolve: (r: CatalogAttachResult) => void; reject: (e: Error) => void }>();
let nextId = 1;

port.on('message', (msg: ToConversionWorker) => {
  const w = waiting.get(msg.id);
  if (!w) return;
  waiting.delete(msg.id);
  if (msg.result) w.resolve(msg.result);
  else w.reject(msg.error ? AppError.fromWire(msg.error) : new AppError('INTERNAL', 'The catalog did not answer'));
});

const attach: MaskAttacher = (imagePath, mask) =>
  new Promise((resolve, reject) => {
    const id = nextId++;
    waiting.set(id, { resolve, reject });
    send({ type: 'attach', id, imagePath, width: mask.width, height: mask.height, data: mask.data });
  });

const task = workerData as ConversionTask;
runConversionTask(task, async (fraction, stage, detail) => send({ type: 'progress', fraction, stage, ...(detail === undefined ? {} : { detail }) }), attach).then(
  (result) => send({ type: 'done', result }),
  (error) => send({ type: 'failed', error: toWireError(error) }),
);
