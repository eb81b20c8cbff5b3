import { existsSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argmaxLogits, labelsFromLogits } from '../../../src-shared/analysis/segmentation';
import type { ScanScale } from '../../../src-shared/domain/segmentation';
import { packageRoot } from '../../resources';
import { ModelRegistry } from '../models/registry';
import { OnnxEngine } from './onnx-engine';
import { postprocess } from './postprocess';
import { preprocess } from './preprocess';
import { BOUNDARY_COUNT } from './surface-decode';

// Real ONNX inference of the two shipped models on a real validation B-scan (OCTID NORMAL150, 750x500).
const IMAGE = join(packageRoot(), '..', 'shared', 'data', 'octid-deepeye', 'images', 'NORMAL150.jpeg');
const SCALE: ScanScale = { axialUmPerPx: 4, lateralUmPerPx: 8, provenance: 'device-profile' };

async function grey(path: string): Promise<{ data: Uint8Array; width: number; height: number }> {
  if (!existsSync(path)) throw new Error(`test data missing: ${path} (../shared/data must be present)`);
  const { data, info } = await sharp(path).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, info.width * info.height), width: info.width, height: info.height };
}

describe('surface model (two outputs) through the ONNX engine', () => {
  const prevEp = process.env.STRATUM_EP;
  beforeAll(() => {
    process.env.STRATUM_EP = 'cpu';
  });
  afterAll(() => {
    if (prevEp === undefined) delete process.env.STRATUM_EP;
    else process.env.STRATUM_EP = prevEp;
  });

  it('decodes layers from the ordered surfaces where the pixel head sees tissue, holes stay unlabelled', async () => {
    const model = new ModelRegistry().load('stratum-unet-surface');
    const img = await grey(IMAGE);
    const engine = await OnnxEngine.create(model);
    try {
      const p = preprocess(model.card, img.data, img.width, img.height);
      const out = await engine.runOutputs(p.data, 1, p.height, p.width);
      expect(out.logits.length).toBe(9 * p.height * p.width);
      expect(out.surfaces?.length).toBe(BOUNDARY_COUNT * p.width);
      const rows = out.surfaces!;
      // ordered by construction: each boundary at or below the one before it, in every column
      let unordered = 0;
      for (let x = 0; x < p.width; x++) {
        for (let k = 1; k < BOUNDARY_COUNT; k++) if (rows[k * p.width + x]! < rows[(k - 1) * p.width + x]!) unordered++;
      }
      expect(unordered).toBe(0);
      const pixel = argmaxLogits(out.logits, model.classMap, p.height, p.width, img.height, img.width).labels;
      const req = { grey: img.data, width: img.width, height: img.height, scale: SCALE, eye: null };
      const r = postprocess(engine, req, p, out.logits, 0, {}, rows);
      expect(r.summary.flags.orderViolationsRepaired).toBe(0); // ordered by construction: repair would fill the holes
      let tissue = 0;
      let labelledWithoutTissue = 0;
      for (let i = 0; i < pixel.length; i++) {
        if (pixel[i] === 0 && r.labels[i] !== 0) labelledWithoutTissue++; // must stay unlabelled
        else if (r.labels[i]! > 0) tissue++;
      }
      expect(labelledWithoutTissue).toBe(0);
      // the card's rule: a labelled pixel at row y has class #{k : surfaces[k] < y} (not the pixel argmax)
      let offRule = 0;
      let differsFromArgmax = 0;
      for (let y = 0; y < img.height; y++) {
        for (let x = 0; x < img.width; x++) {
          const c = r.labels[y * img.width + x]!;
          if (c === 0) continue;
          let count = 0;
          for (let k = 0; k < BOUNDARY_COUNT; k++) if (rows[k * p.width + x]! < y) count++;
          if (c !== count) offRule++;
          if (c !== pixel[y * img.width + x]) differsFromArgmax++;
        }
      }
      expect(offRule).toBe(0);
      expect(differsFromArgmax).toBeGreaterThan(0); // the two heads disagree near boundaries
      expect(tissue / pixel.length).toBeGreaterThan(0.2); // the retina band of a normal macula is labelled
      // every column is ordered top to bottom (labels never go back up), apart from unlabelled pixels
      let goingUp = 0;
      for (let x = 0; x < img.width; x++) {
        let last = 0;
        for (let y = 0; y < img.height; y++) {
          const c = r.labels[y * img.width + x]!;
          if (c === 0) continue;
          if (c < last) goingUp++;
          last = c;
        }
      }
      expect(goingUp).toBe(0);
    } finally {
      await engine.dispose();
    }
  });

  it('leaves a single-output model (1.1.0) on the pixel path: logits only, argmax + islands + order from the probabilities', async () => {
    const model = new ModelRegistry().load('stratum-unet-light');
    const img = await grey(IMAGE);
    const engine = await OnnxEngine.create(model);
    try {
      const p = preprocess(model.card, img.data, img.width, img.height);
      const out = await engine.runOutputs(p.data, 1, p.height, p.width);
      expect(out.surfaces).toBeUndefined();
      const logits = await engine.run(p.data, 1, p.height, p.width);
      expect(Buffer.from(logits.buffer, logits.byteOffset, logits.byteLength).equals(Buffer.from(out.logits.buffer, out.logits.byteOffset, out.logits.byteLength))).toBe(true);
      // the single-output path: argmax, islands, order from the probabilities (analysis/segmentation/from-logits.ts)
      const single = labelsFromLogits({ logits: out.logits, offset: 0, classMap: model.classMap, tensorWidth: p.width, tensorHeight: p.height, width: img.width, height: img.height });
      const expected = single.labels;
      const repaired = single.orderRepair;
      const req = { grey: img.data, width: img.width, height: img.height, scale: SCALE, eye: null };
      const r = postprocess(engine, req, p, out.logits, 0, {});
      expect(r.summary.flags.orderViolationsRepaired).toBe(repaired.columns);
      expect(Buffer.from(r.labels).equals(Buffer.from(expected))).toBe(true);
    } finally {
      await engine.dispose();
    }
  });
});
