// Which kernels ONNX Runtime actually runs for a model, and how long each takes: a profiled session
// (the app's session options: graph optimisation 'all', sequential, no spinning) over one image.
//   node training/quantize/kernels.mjs <model.onnx> <model.json> <image> [runs=10] [threads=2] [--json]
// Prints the kernel counts per op type (QLinearConv where the QDQ groups were fused; Conv/DequantizeLinear
// where they were not) with their share of the time, and the median run time.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { appInput, ort, tensorOf } from './app-input.mjs';

const args = process.argv.slice(2).filter((a) => a !== '--json');
const json = process.argv.includes('--json');
const [modelPath, cardPath, image, runsArg = '10', threadsArg = '2'] = args;
if (!modelPath || !cardPath || !image) {
  console.error('usage: node kernels.mjs <model.onnx> <model.json> <image> [runs] [threads] [--json]');
  process.exit(2);
}
const card = JSON.parse(readFileSync(cardPath, 'utf8'));
const app = await appInput();
const p = await tensorOf(app, card, image);
const prefix = path.join(tmpdir(), `stratum-kernels-${process.pid}`);
const session = await ort.InferenceSession.create(modelPath, {
  graphOptimizationLevel: 'all',
  intraOpNumThreads: Number(threadsArg),
  interOpNumThreads: 1,
  executionMode: 'sequential',
  enableProfiling: true,
  profileFilePrefix: prefix,
  extra: { session: { intra_op: { allow_spinning: '0' } } },
});
const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', p.data, [1, 1, p.height, p.width]) };
await session.run(feeds); // warm-up
const times = [];
const cpu0 = process.cpuUsage();
for (let i = 0; i < Number(runsArg); i++) {
  const t0 = performance.now();
  await session.run(feeds);
  times.push(performance.now() - t0);
}
session.endProfiling();
await session.release();
// the binding writes <prefix>_<timestamp>.json and does not return the name
const base = path.basename(prefix);
const cpuUsed = process.cpuUsage(cpu0);
const cpuMs = (cpuUsed.user + cpuUsed.system) / 1000 / Number(runsArg);
const file = path.join(tmpdir(), readdirSync(tmpdir()).find((f) => f.startsWith(base) && f.endsWith('.json')));
const events = JSON.parse(readFileSync(file, 'utf8'));
rmSync(file, { force: true });
const byOp = {};
const byNode = {};
const runs = Number(runsArg) + 1;
for (const e of events) {
  if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
  const op = e.args?.op_name ?? '?';
  const o = (byOp[op] ??= { kernels: 0, us: 0, provider: e.args?.provider });
  o.kernels += 1 / runs;
  o.us += e.dur / runs;
  const nd = (byNode[e.name.replace(/_kernel_time$/, '')] ??= { op, us: 0, min: Infinity, shape: e.args?.output_type_shape });
  nd.us += e.dur / runs;
  nd.min = Math.min(nd.min, e.dur);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const fastest = times[0];
const minSum = Object.values(byNode).reduce((a, o) => a + o.min, 0) / 1000;
const total = Object.values(byOp).reduce((s, o) => s + o.us, 0);
const rows = Object.entries(byOp).sort((a, b) => b[1].us - a[1].us).map(([op, o]) => ({ op, kernels: Math.round(o.kernels), ms: +(o.us / 1000).toFixed(2), share: +(o.us / total).toFixed(3), provider: o.provider }));
if (json) {
  console.log(JSON.stringify({ model: modelPath, tensor: [p.height, p.width], medianMs: +median.toFixed(1), fastestMs: +fastest.toFixed(1), kernelMinSumMs: +minSum.toFixed(1), cpuMsPerRun: +cpuMs.toFixed(1), kernels: rows }));
} else {
  console.log(`${modelPath}: ${p.width}x${p.height} tensor, median ${median.toFixed(1)} ms, fastest ${fastest.toFixed(1)} ms over ${times.length} runs; sum of per-kernel minima ${minSum.toFixed(1)} ms; CPU ${cpuMs.toFixed(1)} ms per run`);
  if (process.env.KERNELS_NODES) {
    for (const [n, o] of Object.entries(byNode)) console.log(`    ${(o.us / 1000).toFixed(2).padStart(7)} ms (min ${(o.min / 1000).toFixed(2).padStart(6)})  ${o.op.padEnd(14)} ${n}  ${JSON.stringify(o.shape)}`);
  }
  for (const r of rows) console.log(`  ${r.op.padEnd(22)} x${String(r.kernels).padEnd(4)} ${r.ms.toFixed(2).padStart(8)} ms  ${(r.share * 100).toFixed(1).padStart(5)}%  ${r.provider}`);
}
