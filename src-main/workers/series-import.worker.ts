/**
 * The series import worker: decodes every B-scan of one vendor OCT file, stores each as a grey PNG in
 * the library, and reads the localizer and the device's boundaries, off the main thread (see
 * services/import/series-store.ts). Talks to services/import/series-worker-client.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toWireError } from '../../src-shared/contract';
import type { FromSeriesWorker } from '../services/import/series-worker-client';
import { storeSeries, type SeriesStoreTask } from '../services/import/series-store';

const port = parentPort;
if (!port) throw new Error('series-import.worker must run in a worker thread');
const send = (msg: FromSeriesWorker) => port.postMessage(msg);

storeSeries(workerData as SeriesStoreTask, (done, total) => send({ type: 'progress', done, total })).then(
  (result) => send({ type: 'done', result }),
  (error) => send({ type: 'failed', error: toWireError(error) }),
);
