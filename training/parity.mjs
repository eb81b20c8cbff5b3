// ONNX Runtime (Node) side of the parity check used by training/stratum_train/export.py.
// Usage: node training/parity.mjs <model.onnx> <input.f32> <torch_out.f32> <N> <C> <H> <W>
// Files are raw little-endian float32. Prints one JSON line: {maxAbsDiff, argmaxAgreement, ms}.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'package.json'));
const ort = require('onnxruntime-node');

const [modelPath, inPath, refPath, ...dims] = process.argv.slice(2);
if (!modelPath || !inPath || !refPath || dims.length !== 4) {
  console.error('usage: node parity.mjs <model.onnx> <input.f32> <torch_out.f32> N C H W');
  process.exit(2);
}
const shape = dims.map(Number);
const readF32 = (p) => {
  const b = readFileSync(p);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};
const input = readF32(inPath);
const ref = readF32(refPath);
const session = await ort.InferenceSession.create(modelPath, {
  intraOpNumThreads: 2,
  interOpNumThreads: 1,
});
const inName = session.inputNames[0];
const outName = session.outputNames[0];
const t0 = performance.now();
const out = await session.run({ [inName]: new ort.Tensor('float32', input, shape) });
const ms = performance.now() - t0;
const got = out[outName].data;
if (got.length !== ref.length) {
  console.error(`length mismatch: onnx ${got.length} vs torch ${ref.length}`);
  process.exit(1);
}
let maxAbsDiff = 0;
for (let i = 0; i < got.length; i++) {
  const d = Math.abs(got[i] - ref[i]);
  if (!(d <= maxAbsDiff)) maxAbsDiff = Number.isNaN(d) ? Infinity : d;
}
const [n, c, h, w] = out[outName].dims;
const plane = h * w;
let agree = 0;
for (let b = 0; b < n; b++) {
  for (let p = 0; p < plane; p++) {
    let ai = 0, av = -Infinity, bi = 0, bv = -Infinity;
    for (let k = 0; k < c; k++) {
      const idx = b * c * plane + k * plane + p;
      if (got[idx] > av) { av = got[idx]; ai = k; }
      if (ref[idx] > bv) { bv = ref[idx]; bi = k; }
    }
    if (ai === bi) agree++;
  }
}
console.log(JSON.stringify({ inputName: inName, outputName: outName, dims: out[outName].dims,
  maxAbsDiff, argmaxAgreement: agree / (n * plane), ms: Math.round(ms) }));
