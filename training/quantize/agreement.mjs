// How closely an int8 model follows its float model, through the app's decode, preprocess and
// onnxruntime-node: the share of pixels whose class (argmax) agrees, and the largest logit difference.
//   node training/quantize/agreement.mjs <float.onnx> <int8.onnx> <model.json> <image>...
// Prints one JSON line {images, argmaxAgreement, minImageAgreement, maxAbsLogitDiff}.
import { readFileSync } from 'node:fs';
import { appInput, ort, tensorOf } from './app-input.mjs';

const [floatPath, int8Path, cardPath, ...images] = process.argv.slice(2);
if (!floatPath || !int8Path || !cardPath || images.length === 0) {
  console.error('usage: node agreement.mjs <float.onnx> <int8.onnx> <model.json> <image>...');
  process.exit(2);
}
const card = JSON.parse(readFileSync(cardPath, 'utf8'));
const app = await appInput();
const options = { intraOpNumThreads: 2, interOpNumThreads: 1, graphOptimizationLevel: 'all' };
const [f, q] = await Promise.all([ort.InferenceSession.create(floatPath, options), ort.InferenceSession.create(int8Path, options)]);
let same = 0;
let total = 0;
let worst = 1;
let maxAbs = 0;
for (const file of images) {
  const p = await tensorOf(app, card, file);
  const feed = (s) => ({ [s.inputNames[0]]: new ort.Tensor('float32', p.data, [1, 1, p.height, p.width]) });
  const a = (await f.run(feed(f)))[f.outputNames[0]];
  const b = (await q.run(feed(q)))[q.outputNames[0]];
  const classes = a.dims[1];
  const plane = p.height * p.width;
  let agree = 0;
  for (let i = 0; i < plane; i++) {
    let ka = 0;
    let kb = 0;
    for (let c = 1; c < classes; c++) {
      if (a.data[c * plane + i] > a.data[ka * plane + i]) ka = c;
      if (b.data[c * plane + i] > b.data[kb * plane + i]) kb = c;
    }
    if (ka === kb) agree++;
  }
  for (let i = 0; i < a.data.length; i++) maxAbs = Math.max(maxAbs, Math.abs(a.data[i] - b.data[i]));
  same += agree;
  total += plane;
  worst = Math.min(worst, agree / plane);
}
console.log(JSON.stringify({ images: images.length, argmaxAgreement: +(same / total).toFixed(5), minImageAgreement: +worst.toFixed(5), maxAbsLogitDiff: +maxAbs.toFixed(3) }));
