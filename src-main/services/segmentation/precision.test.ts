import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { argmaxLogits } from '../../../src-shared/analysis/segmentation';
import { haveSharedData, sharedData } from '../../../test-support/shared-data';
import { resourcesDir } from '../../resources';
import { ModelRegistry, type ModelEntry } from '../models/registry';
import { variantBeside } from '../models/variants';
import { OnnxEngine } from './onnx-engine';
import { chooseWeights, expectedPrecision, precisionPolicy } from './precision';
import { preprocess } from './preprocess';

// The shipped float model and its shipped int8 variant (training/quantize), real ONNX Runtime sessions.
const FLOAT_ID = 'stratum-unet-light';
const INT8_ID = 'stratum-unet-light-int8';
const bundled = () => new ModelRegistry(join(resourcesDir(), 'models'));

const envKeys = ['STRATUM_EP', 'STRATUM_PRECISION'] as const;
const saved = Object.fromEntries(envKeys.map((k) => [k, process.env[k]]));
afterEach(() => {
  for (const k of envKeys) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

describe('which weights run', () => {
  const model = bundled().load(FLOAT_ID);
  const variant = bundled().load(INT8_ID);
  const found = { variant, problem: null };
  const none = { variant: null, problem: null };

  it('int8 on CPU, float on the GPU providers, unless STRATUM_PRECISION says otherwise', () => {
    expect(chooseWeights('cpu', model, found, 'auto')).toMatchObject({ weights: variant, precision: 'int8', note: null });
    for (const gpu of ['cuda', 'dml', 'coreml', 'tensorrt']) expect(chooseWeights(gpu, model, found, 'auto')).toMatchObject({ weights: model, precision: 'float32' });
    expect(chooseWeights('cpu', model, found, 'float32')).toMatchObject({ weights: model, precision: 'float32' });
    expect(chooseWeights('cuda', model, found, 'int8')).toMatchObject({ weights: variant, precision: 'int8' });
    // no variant installed (a user's own retrained model): float, quietly on auto, with a note when int8 was asked for
    expect(chooseWeights('cpu', model, none, 'auto')).toMatchObject({ weights: model, precision: 'float32', note: null });
    expect(chooseWeights('cpu', model, none, 'int8').note).toMatch(/no int8 variant of stratum-unet-light/);
    // the variant asked for by id runs itself, as int8, whatever the policy
    expect(chooseWeights('cuda', variant, none, 'float32')).toMatchObject({ weights: variant, precision: 'int8' });
    expect(() => precisionPolicy('fp16')).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
  });

  it('finds the shipped variant beside its float model and says what info will show before a load', () => {
    const lookup = variantBeside(model, 'int8');
    expect(lookup.problem).toBeNull();
    expect(lookup.variant?.card.id).toBe(INT8_ID);
    expect(expectedPrecision(FLOAT_ID, 'cpu', bundled())).toBe('int8');
    expect(expectedPrecision(FLOAT_ID, 'cuda', bundled())).toBe('float32');
  });
});

describe('a variant that does not match its float model', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'stratum-variants-'));
    for (const id of [FLOAT_ID, INT8_ID]) cpSync(join(resourcesDir(), 'models', id), join(root, id), { recursive: true });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('is never used when it was made from another version, and the reason is named', () => {
    const cardPath = join(root, FLOAT_ID, 'model.json');
    const card = JSON.parse(readFileSync(cardPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(cardPath, JSON.stringify({ ...card, version: '1.2.0' }));
    try {
      const lookup = variantBeside(new ModelRegistry(root).load(FLOAT_ID), 'int8');
      expect(lookup.variant).toBeNull();
      expect(lookup.problem).toMatch(/stratum-unet-light-int8 was made from stratum-unet-light 1\.1\.0 .*not from the installed 1\.2\.0/);
    } finally {
      writeFileSync(cardPath, JSON.stringify(card));
    }
  });

  it('is never used when its weights are corrupt (checksum), and the float model runs', async () => {
    const weights = join(root, INT8_ID, 'model.onnx');
    const good = readFileSync(weights);
    const bad = Buffer.from(good);
    bad[bad.length - 20] = bad[bad.length - 20]! ^ 0xff;
    writeFileSync(weights, bad);
    try {
      const model = new ModelRegistry(root).load(FLOAT_ID);
      expect(variantBeside(model, 'int8').problem).toMatch(/checksum mismatch/);
      process.env.STRATUM_EP = 'cpu';
      const engine = await OnnxEngine.create(model);
      expect(engine.precision).toBe('float32');
      expect(engine.fallbacks.join('; ')).toMatch(/int8 variant not used: .*checksum mismatch/);
      await engine.dispose();
    } finally {
      writeFileSync(weights, good);
    }
  });

  it('is never a default model by itself', () => {
    const only = mkdtempSync(join(tmpdir(), 'stratum-variant-only-'));
    try {
      cpSync(join(root, INT8_ID), join(only, INT8_ID), { recursive: true });
      // the variant is the only trained card here: still no default (it runs in its float model's place)
      expect(() => new ModelRegistry(only).resolve()).toThrow(expect.objectContaining({ code: 'MODEL_UNAVAILABLE', message: expect.stringMatching(/no trained segmentation model/) }));
      expect(new ModelRegistry(only).resolve(INT8_ID).card.id).toBe(INT8_ID);
    } finally {
      rmSync(only, { recursive: true, force: true });
    }
  });
});

describe.runIf(haveSharedData('octid-deepeye', 'images'))('the int8 engine on a real B-scan', () => {
  let model: ModelEntry;
  let input: ReturnType<typeof preprocess>;
  beforeAll(async () => {
    model = bundled().load(FLOAT_ID);
    const { data, info } = await sharp(sharedData('octid-deepeye', 'images', 'NORMAL150.jpeg')).greyscale().raw().toBuffer({ resolveWithObject: true });
    input = preprocess(model.card, new Uint8Array(data.buffer, data.byteOffset, info.width * info.height), info.width, info.height);
  });

  it('CUDA asked for but absent: falls back to cpu, says why, and runs int8 there; agrees with float on 99% of pixels', async () => {
    process.env.STRATUM_EP = 'cuda';
    const int8 = await OnnxEngine.create(model);
    process.env.STRATUM_PRECISION = 'float32';
    process.env.STRATUM_EP = 'cpu';
    const float = await OnnxEngine.create(model);
    try {
      expect(int8.executionProvider).toBe('cpu');
      expect(int8.fallbacks[0]).toMatch(/^cuda: /);
      expect(int8.precision).toBe('int8');
      expect(int8.weights.card.id).toBe(INT8_ID);
      expect(int8.model.card.id).toBe(FLOAT_ID); // results keep the network's identity
      expect(float.precision).toBe('float32');
      const a = argmaxLogits(await int8.run(input.data, 1, input.height, input.width), model.classMap, input.height, input.width, 750, 500).labels;
      const b = argmaxLogits(await float.run(input.data, 1, input.height, input.width), model.classMap, input.height, input.width, 750, 500).labels;
      let same = 0;
      for (let i = 0; i < a.length; i++) same += a[i] === b[i] ? 1 : 0;
      expect(same / a.length).toBeGreaterThan(0.99);
    } finally {
      await int8.dispose();
      await float.dispose();
    }
  });

  it('ONNX Runtime runs the int8 file on integer kernels (QLinearConv), not as dequantised float convs', async () => {
    const prefix = join(mkdtempSync(join(tmpdir(), 'stratum-profile-')), 'p');
    const session = await ort.InferenceSession.create(bundled().load(INT8_ID).weightsPath, { graphOptimizationLevel: 'all', intraOpNumThreads: 1, enableProfiling: true, profileFilePrefix: prefix });
    await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', input.data, [1, 1, input.height, input.width]) });
    session.endProfiling();
    await session.release();
    const dir = join(prefix, '..');
    const { readdirSync } = await import('node:fs');
    const events = JSON.parse(readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.json'))!), 'utf8')) as { cat: string; name: string; args?: { op_name?: string } }[];
    rmSync(dir, { recursive: true, force: true });
    const ops = new Map<string, number>();
    for (const e of events) if (e.cat === 'Node' && e.name.endsWith('_kernel_time')) ops.set(e.args!.op_name!, (ops.get(e.args!.op_name!) ?? 0) + 1);
    // 22 convolutions in the float graph (18 3x3, 4 transposed as 1x1): all but the first (it reads the float
    // image) and the logits head run as QLinearConv; the skip joins as QLinearConcat, pooling on uint8
    expect(ops.get('QLinearConv')).toBe(21);
    expect(ops.get('Conv')).toBe(2);
    expect(ops.get('QLinearConcat')).toBe(4);
    expect(ops.get('ConvTranspose')).toBeUndefined();
    expect([...ops.keys()].some((op) => /MaxPool/.test(op))).toBe(true);
  });
});
