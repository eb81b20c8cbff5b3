// ONNX Runtime (Node) side of the parity check used by training/stratum_train/export.py.
// Usage: node training/parity.mjs <model.onnx> <input.f32> <N> <C> <H> <W> <output>=<torch_out.f32>...
// One `name=file` per model output to compare (e.g. logits=... surfaces=...). Files are raw
// little-endian float32. Prints one JSON line: {maxAbsDiff (over all outputs), outputs: {name:
// {dims, maxAbsDiff}}, argmaxAgreement (class argmax of `logits`, or of the first output), ms}.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'package.json'));
const ort = require('onnxruntime-node');

const [modelPath, inPath, ...rest] = process.argv.slice(2);
const dims = rest.slice(0, 4);
const refs = rest.slice(4).map((s) => {
  const at = s.indexOf('=');
  return at > 0 ? { name: s.slice(0, at), file: s.slice(at + 1) } : null;
});
if (!modelPath || !inPath || dims.length !== 4 || refs.length === 0 || refs.includes(null)) {
  console.error('usage: node parity.mjs <model.onnx> <input.f32> N C H W <output>=<torch_out.f32>...');
  process.exit(2);
}
const shape = dims.map(Number);
const readF32 = (p) => {
  const b = readFileSync(p);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};
const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 2, interOpNumThreads: 1 });
const missing = refs.filter((r) => !session.outputNames.includes(r.name));
if (missing.length) {
  console.error(`model has outputs ${session.outputNames.join(', ')}; not ${missing.map((r) => r.name).join(', ')}`);
  process.exit(1);
}
const t0 = performance.now();
const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', readF32(inPath), shape) });
const ms = performance.now() - t0;

const outputs = {};
let maxAbsDiff = 0;
for (const { name, file } of refs) {
  const got = out[name].data;
  const ref = readF32(file);
  if (got.length !== ref.length) {
    console.error(`${name}: length mismatch: onnx ${got.length} vs torch ${ref.length}`);
    process.exit(1);
  }
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const d = Math.abs(got[i] - ref[i]);
    if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
  }
  outputs[name] = { dims: out[name].dims, maxAbsDiff: worst };
  maxAbsDiff = Math.max(maxAbsDiff, worst);
}

const cls = refs.find((r) => r.name === 'logits') ?? refs[0];
const got = out[cls.name].data;
const ref = readF32(cls.file);
const [n, c, h, w] = out[cls.name].dims;
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
console.log(JSON.stringify({ inputName: session.inputNames[0], outputs, maxAbsDiff,
  argmaxAgreement: agree / (n * plane), ms: Math.round(ms) }));
