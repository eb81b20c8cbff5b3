import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { AppError } from '../../../src-shared/contract/errors';
import type { ModelEntry } from '../models/registry';
import type { SegmentationEngine } from './engine';

type Tf = typeof TF;

/** Packages tried in order; the first that loads is used, and `executionProvider` says which. */
export const TFJS_BACKENDS = [
  { pkg: '@tensorflow/tfjs-node-gpu', label: 'tensorflow (tfjs-node-gpu)' },
  { pkg: '@tensorflow/tfjs-node', label: 'tensorflow (tfjs-node)' },
  { pkg: '@tensorflow/tfjs', label: 'tfjs-cpu (pure JavaScript)' },
] as const;

let loaded: { tf: Tf; label: string } | null = null;

/** Loads TF.js once per process, preferring the native GPU, then native CPU, then pure JS backend. */
export function loadTf(): { tf: Tf; label: string } {
  if (loaded) return loaded;
  const req = createRequire(__filename);
  const errors: string[] = [];
  const only = process.env.STRATUM_TFJS_BACKEND;
  for (const b of TFJS_BACKENDS) {
    if (only && b.pkg !== only) continue;
    try {
      loaded = { tf: req(b.pkg) as Tf, label: b.label };
      return loaded;
    } catch (error) {
      errors.push(`${b.pkg}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  throw new AppError('MODEL_UNAVAILABLE', `No TensorFlow.js package could be loaded (${errors.join('; ')})`);
}

interface LayersModelJson {
  modelTopology: object;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  weightsManifest: { paths: string[]; weights: TF.io.WeightsManifestEntry[] }[];
}

/** An IOHandler reading a TF.js layers model (model.json + weight shards) from disk; works without tfjs-node. */
export function fileLoadHandler(modelJsonPath: string): TF.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(readFileSync(modelJsonPath, 'utf8')) as LayersModelJson;
      const dir = dirname(modelJsonPath);
      const weightSpecs: TF.io.WeightsManifestEntry[] = [];
      const buffers: Buffer[] = [];
      for (const group of json.weightsManifest) {
        weightSpecs.push(...group.weights);
        for (const p of group.paths) buffers.push(readFileSync(join(dir, p)));
      }
      const all = Buffer.concat(buffers);
      const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy ?? undefined,
        weightSpecs,
        weightData,
      };
    },
  };
}

/** TF.js layers models: NHWC input [n, h, w, 1], output [n, h, w, classes] (transposed to NCHW here). */
export class TfjsEngine implements SegmentationEngine {
  readonly kind = 'tfjs' as const;

  private constructor(
    private readonly tf: Tf,
    private readonly net: TF.LayersModel,
    readonly executionProvider: string,
    readonly model: ModelEntry,
  ) {}

  static async create(model: ModelEntry): Promise<TfjsEngine> {
    if (model.card.format !== 'tfjs-layers') {
      throw new AppError('MODEL_UNAVAILABLE', `Model "${model.card.id}" is ${model.card.format}, not a TF.js layers model`);
    }
    const { tf, label } = loadTf();
    try {
      const net = await tf.loadLayersModel(fileLoadHandler(model.weightsPath));
      return new TfjsEngine(tf, net, `${label}, backend ${tf.getBackend()}`, model);
    } catch (error) {
      throw new AppError('MODEL_UNAVAILABLE', `TF.js could not load model "${model.card.id}": ${(error as Error).message}`);
    }
  }

  async run(input: Float32Array, n: number, height: number, width: number): Promise<Float32Array> {
    const tf = this.tf;
    const out = tf.tidy(() => {
      const x = tf.tensor4d(input, [n, height, width, 1]);
      const y = this.net.predict(x) as TF.Tensor4D;
      return tf.transpose(y, [0, 3, 1, 2]);
    });
    try {
      return (await out.data()) as Float32Array;
    } finally {
      out.dispose();
    }
  }

  async dispose(): Promise<void> {
    this.net.dispose();
  }
}
