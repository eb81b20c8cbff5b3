// Activation statistics for static int8 calibration, gathered with the app's onnxruntime-node.
//   node training/quantize/calibrate.mjs <augmented.onnx> <model.json> <stats.json> <bins> <image>...
// <augmented.onnx>: the float model with the tensors to calibrate exposed as extra outputs (qdq.py
// with_outputs). Each image goes through the app's decode and preprocess (app-input.mjs). Two passes:
// the exact min and max of every output over all images, then a histogram of <bins> equal bins over
// [min, max]. Writes { input, images, tensors: { name: { min, max, hist } } } for ranges.py.
import { readFileSync, writeFileSync } from 'node:fs';
import { appInput, ort, tensorOf } from './app-input.mjs';

const [modelPath, cardPath, outPath, binsArg, ...images] = process.argv.slice(2);
const bins = Number(binsArg);
if (!modelPath || !cardPath || !outPath || !(bins > 0) || images.length === 0) {
  console.error('usage: node calibrate.mjs <augmented.onnx> <model.json> <stats.json> <bins> <image>...');
  process.exit(2);
}
const card = JSON.parse(readFileSync(cardPath, 'utf8'));
const app = await appInput();
const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 2, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
const input = session.inputNames[0];
const names = session.outputNames;

async function outputsOf(file) {
  const p = await tensorOf(app, card, file);
  return session.run({ [input]: new ort.Tensor('float32', p.data, [1, 1, p.height, p.width]) });
}

const stats = Object.fromEntries(names.map((n) => [n, { min: Infinity, max: -Infinity, hist: new Float64Array(bins) }]));
for (const file of images) {
  const out = await outputsOf(file);
  for (const n of names) {
    const d = out[n].data;
    const s = stats[n];
    for (let i = 0; i < d.length; i++) {
      const v = d[i];
      if (v < s.min) s.min = v;
      if (v > s.max) s.max = v;
    }
  }
}
for (const file of images) {
  const out = await outputsOf(file);
  for (const n of names) {
    const d = out[n].data;
    const s = stats[n];
    const k = bins / Math.max(1e-30, s.max - s.min);
    for (let i = 0; i < d.length; i++) s.hist[Math.min(bins - 1, Math.floor((d[i] - s.min) * k))]++;
  }
}
const tensors = Object.fromEntries(names.map((n) => [n, { min: stats[n].min, max: stats[n].max, hist: Array.from(stats[n].hist) }]));
writeFileSync(outPath, JSON.stringify({ input, images: images.length, tensors }));
console.log(`calibrated ${names.length} tensors over ${images.length} images -> ${outPath}`);
