import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelRegistry, classMapFor } from '../models/registry';
import { createEngine } from './engine';
import { preprocess, tensorSize } from './preprocess';
import { argmaxLogits } from '../../../src-shared/analysis/segmentation';
import { resourcesDir } from '../../resources';

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

const ORIGINAL_ORDER = ['background', 'OPL', 'RPE', 'GCL+IPL', 'EZ', 'NFL', 'INL', 'ONL', 'CHR'];

let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'stratum-models-'));
  // a copy of the shipped placeholder, one corrupt copy, one with a missing file
  const placeholder = join(resourcesDir(), 'models', 'stratum-placeholder');
  cpSync(placeholder, join(root, 'stratum-placeholder'), { recursive: true });
  cpSync(placeholder, join(root, 'corrupt'), { recursive: true });
  const card = JSON.parse(readFileSync(join(root, 'corrupt', 'model.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(root, 'corrupt', 'model.json'), JSON.stringify({ ...card, id: 'corrupt' }));
  const onnx = readFileSync(join(root, 'corrupt', 'model.onnx'));
  onnx.writeUInt8(onnx.readUInt8(onnx.length - 10) ^ 0xff, onnx.length - 10);
  writeFileSync(join(root, 'corrupt', 'model.onnx'), onnx);
  mkdirSync(join(root, 'missing'));
  writeFileSync(join(root, 'missing', 'model.json'), JSON.stringify({ ...card, id: 'missing', file: 'nope.onnx' }));

  // a tiny TF.js layers model: 3x3 conv to 9 channels, saved with a save handler as model.json + weights.bin
  const net = tf.sequential({
    layers: [tf.layers.conv2d({ inputShape: [null, null, 1], filters: 9, kernelSize: 3, padding: 'same', kernelInitializer: 'zeros', biasInitializer: 'zeros' })],
  });
  // make the output depend on the input: class k of the model gets weight k on the centre tap
  const [kernel, bias] = net.getWeights();
  const k = tf.buffer(kernel!.shape, 'float32');
  for (let c = 0; c < 9; c++) k.set(c - 4, 1, 1, 0, c);
  net.setWeights([k.toTensor(), tf.zerosLike(bias!)]);
  const dir = join(root, 'tiny-tfjs');
  mkdirSync(join(dir, 'tfjs'), { recursive: true });
  await net.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData as ArrayBuffer;
      writeFileSync(join(dir, 'tfjs', 'weights.bin'), Buffer.from(data));
      writeFileSync(
        join(dir, 'tfjs', 'model.json'),
        JSON.stringify({ modelTopology: artifacts.modelTopology, format: 'layers-model', weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }] }),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  writeFileSync(
    join(dir, 'model.json'),
    JSON.stringify({
      schema: 1, id: 'tiny-tfjs', name: 'Tiny TF.js test model', version: '0.0.1', trained: false, format: 'tfjs-layers',
      file: 'tfjs/model.json', sha256: sha(join(dir, 'tfjs', 'model.json')),
      input: { name: 'image', layout: 'NHWC', channels: 1, sizePolicy: { kind: 'resize', width: 32, height: 16 } },
      normalisation: { kind: 'column-l2', scale: 1 },
      output: { name: 'logits', kind: 'logits', classOrder: ORIGINAL_ORDER },
    }),
  );
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('model registry', () => {
  it('maps the original Keras class order onto the canonical one', () => {
    expect(classMapFor(ORIGINAL_ORDER)).toEqual([0, 4, 7, 2, 6, 1, 3, 5, 8]);
    expect(() => classMapFor(['background', 'NFL', 'NFL', 'INL', 'OPL', 'ONL', 'EZ', 'RPE', 'CHR'])).toThrow(/exactly once/);
  });

  it('verifies checksums and names missing or corrupt models clearly', () => {
    const reg = new ModelRegistry(root);
    expect(reg.load('stratum-placeholder').card.trained).toBe(false);
    expect(() => reg.load('corrupt')).toThrow(/checksum mismatch/);
    expect(() => reg.load('missing')).toThrow(/missing/);
    expect(() => reg.load('absent')).toThrow(expect.objectContaining({ code: 'MODEL_UNAVAILABLE' }));
    const { problems } = reg.scan();
    expect(problems.map((p) => p.id).sort()).toEqual(['corrupt', 'missing']);
  });

  it('defaults to the preferred trained model and never falls back to the placeholder', () => {
    const reg = new ModelRegistry(root);
    // only untrained and broken models here: no default, the problems named, the placeholder only by id
    expect(() => reg.resolve()).toThrow(expect.objectContaining({ code: 'MODEL_UNAVAILABLE', message: expect.stringMatching(/^No default segmentation model: corrupt: .*checksum mismatch/) }));
    expect(reg.resolve('stratum-placeholder').card.trained).toBe(false);
    const trained = join(root, 'stratum-unet-light');
    cpSync(join(root, 'stratum-placeholder'), trained, { recursive: true });
    const card = JSON.parse(readFileSync(join(trained, 'model.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(trained, 'model.json'), JSON.stringify({ ...card, id: 'stratum-unet-light', trained: true }));
    expect(reg.resolve().card.id).toBe('stratum-unet-light');
    // the preferred model corrupt: an error naming it, not the placeholder or another model
    const weights = join(trained, 'model.onnx');
    const bytes = readFileSync(weights);
    bytes[100] = bytes[100]! ^ 0x01;
    writeFileSync(weights, bytes);
    expect(() => reg.resolve()).toThrow(`Model "stratum-unet-light": checksum mismatch for ${weights} (corrupt or modified): expected sha256 ${card.sha256 as string}, actual ${sha(weights)}`);
    rmSync(trained, { recursive: true });
  });
});

describe('preprocessing', () => {
  it('pads to a multiple of 16 and scales', () => {
    const card = new ModelRegistry(root).load('stratum-placeholder').card;
    expect(tensorSize(card, 750, 500)).toEqual({ width: 752, height: 512 });
    const p = preprocess(card, new Uint8Array(750 * 500).fill(255), 750, 500);
    expect(p.data[0]).toBeCloseTo(1);
    expect(p.data[751]).toBe(0);
    expect(p.mapBack).toBe('crop');
  });
});

describe('TF.js engine', () => {
  it('loads a TF.js layers model from disk, says which backend runs, and maps classes', async () => {
    const model = new ModelRegistry(root).load('tiny-tfjs');
    const engine = await createEngine('tfjs', model);
    expect(engine.executionProvider).toMatch(/tfjs|tensorflow/);
    const grey = new Uint8Array(40 * 20).fill(100);
    const p = preprocess(model.card, grey, 40, 20);
    expect(p.width).toBe(32);
    expect(p.height).toBe(16);
    const logits = await engine.run(p.data, 1, p.height, p.width);
    expect(logits.length).toBe(9 * 16 * 32);
    // positive input: the largest model class (8 = 'CHR') wins -> canonical Choroid (8)
    const { labels } = argmaxLogits(logits, model.classMap, 16, 32);
    expect(labels[0]).toBe(8);
    await engine.dispose();
  });
});

describe('ONNX engine', () => {
  it('runs the placeholder on CPU with the card size policy', async () => {
    const model = new ModelRegistry(root).load('stratum-placeholder');
    const prev = process.env.STRATUM_EP;
    process.env.STRATUM_EP = 'cpu';
    try {
      const engine = await createEngine('onnx', model);
      expect(engine.executionProvider).toBe('cpu');
      const p = preprocess(model.card, new Uint8Array(40 * 30).fill(80), 40, 30);
      const logits = await engine.run(p.data, 1, p.height, p.width);
      expect(logits.length).toBe(9 * p.height * p.width);
      await engine.dispose();
    } finally {
      if (prev === undefined) delete process.env.STRATUM_EP;
      else process.env.STRATUM_EP = prev;
    }
  });
});
