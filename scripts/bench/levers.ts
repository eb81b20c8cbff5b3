// The speed levers of issue 19, each measured alone against the engine's chosen settings
// (src-main/services/segmentation/ort-session.ts): precision, ONNX Runtime session options, two 1-thread
// runs side by side, decode overlapped with inference. Used by segment.bench.ts (STRATUM_BENCH_LEVERS=0 skips).
import { availableParallelism, loadavg } from 'node:os';
import { ModelRegistry, type ModelEntry } from '../../src-main/services/models/registry';
import { createEngine, type SegmentationEngine } from '../../src-main/services/segmentation/engine';
import { defaultTuning, type SessionTuning } from '../../src-main/services/segmentation/ort-session';
import { preprocess, type Prepared } from '../../src-main/services/segmentation/preprocess';
import { decodeGrey } from '../../src-main/services/segmentation/segmentation-service';

interface Lever {
  name: string;
  precision: 'float32' | 'int8';
  tuning: Partial<SessionTuning>;
  /** Images run at once, each on its own session (with 1 intra-op thread: one core each). */
  parallel?: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function engineFor(model: ModelEntry, lever: Lever): Promise<SegmentationEngine> {
  const prev = process.env.STRATUM_PRECISION;
  process.env.STRATUM_PRECISION = lever.precision;
  try {
    return await createEngine('onnx', model, { ...defaultTuning(), ...lever.tuning });
  } finally {
    if (prev === undefined) delete process.env.STRATUM_PRECISION;
    else process.env.STRATUM_PRECISION = prev;
  }
}

/** Wall and CPU ms per image of one pass over `inputs` (after one warm-up run per session). */
async function pass(model: ModelEntry, lever: Lever, inputs: Prepared[]): Promise<{ wall: number; cpu: number }> {
  const n = lever.parallel ?? 1;
  const engines = await Promise.all(Array.from({ length: n }, () => engineFor(model, lever)));
  try {
    const first = inputs[0]!;
    await Promise.all(engines.map((e) => e.run(first.data, 1, first.height, first.width)));
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let next = 0;
    await Promise.all(engines.map(async (e) => {
      for (let i = next++; i < inputs.length; i = next++) await e.run(inputs[i]!.data, 1, inputs[i]!.height, inputs[i]!.width);
    }));
    const wall = (performance.now() - t0) / inputs.length;
    const c = process.cpuUsage(c0);
    return { wall, cpu: (c.user + c.system) / 1000 / inputs.length };
  } finally {
    await Promise.all(engines.map((e) => e.dispose()));
  }
}

export function leverList(): Lever[] {
  const cores = availableParallelism();
  return [
    { name: 'chosen: int8 on CPU, settings of ort-session.ts', precision: 'int8', tuning: {} },
    { name: 'precision float32 (the float model)', precision: 'float32', tuning: {} },
    { name: 'graphOptimizationLevel extended', precision: 'int8', tuning: { graphOptimizationLevel: 'extended' } },
    { name: 'graphOptimizationLevel basic', precision: 'int8', tuning: { graphOptimizationLevel: 'basic' } },
    { name: 'graphOptimizationLevel disabled', precision: 'int8', tuning: { graphOptimizationLevel: 'disabled' } },
    { name: 'intraOpNumThreads 1', precision: 'int8', tuning: { intraOpNumThreads: 1 } },
    { name: `intraOpNumThreads ${cores * 2} (over-subscribed)`, precision: 'int8', tuning: { intraOpNumThreads: cores * 2 } },
    { name: 'interOpNumThreads 2 + executionMode parallel', precision: 'int8', tuning: { interOpNumThreads: 2, executionMode: 'parallel' } },
    { name: 'enableCpuMemArena off', precision: 'int8', tuning: { enableCpuMemArena: false } },
    { name: 'spinning on (session.intra_op.allow_spinning 1)', precision: 'int8', tuning: { spinning: true } },
    { name: `${cores} images at once, 1 intra-op thread each`, precision: 'int8', tuning: { intraOpNumThreads: 1 }, parallel: cores },
  ];
}

/** Decode + network per image, one after the other, against the next image's decode started before the network runs. */
async function decodeOverlap(model: ModelEntry, files: string[]): Promise<{ sequential: number; overlapped: number }> {
  const engine = await engineFor(model, { name: '', precision: 'int8', tuning: {} });
  const prep = async (f: string) => {
    const img = await decodeGrey(f);
    return preprocess(model.card, img.grey, img.width, img.height);
  };
  try {
    const w = await prep(files[0]!);
    await engine.run(w.data, 1, w.height, w.width);
    let t0 = performance.now();
    for (const f of files) {
      const p = await prep(f);
      await engine.run(p.data, 1, p.height, p.width);
    }
    const sequential = (performance.now() - t0) / files.length;
    t0 = performance.now();
    let pending = prep(files[0]!);
    for (let i = 0; i < files.length; i++) {
      const p = await pending;
      if (i + 1 < files.length) pending = prep(files[i + 1]!);
      await engine.run(p.data, 1, p.height, p.width);
    }
    return { sequential, overlapped: (performance.now() - t0) / files.length };
  } finally {
    await engine.dispose();
  }
}

export async function levers(images: string[]): Promise<void> {
  const model = new ModelRegistry().resolve(process.env.STRATUM_MODEL);
  const count = Math.min(images.length, Number(process.env.STRATUM_BENCH_LEVER_IMAGES ?? 20));
  const rounds = Number(process.env.STRATUM_BENCH_ROUNDS ?? 3);
  const files = images.slice(0, count);
  const inputs: Prepared[] = [];
  for (const f of files) {
    const img = await decodeGrey(f);
    inputs.push(preprocess(model.card, img.grey, img.width, img.height));
  }
  const list = leverList();
  const runs = new Map<string, { wall: number[]; cpu: number[] }>(list.map((l) => [l.name, { wall: [], cpu: [] }]));
  const load0 = loadavg()[0]!;
  // rounds interleave the levers, so a busy moment on a shared machine spreads over all of them
  for (let r = 0; r < rounds; r++) {
    for (const lever of list) {
      const m = await pass(model, lever, inputs);
      runs.get(lever.name)!.wall.push(m.wall);
      runs.get(lever.name)!.cpu.push(m.cpu);
    }
  }
  const base = median(runs.get(list[0]!.name)!.wall);
  console.log(`\nlevers, one at a time (network only, one run per image, ${count} images, median of ${rounds} interleaved rounds; load average ${load0.toFixed(2)} -> ${loadavg()[0]!.toFixed(2)} on ${availableParallelism()} cores):`);
  console.log('  lever                                              wall ms/image  CPU ms/image  vs chosen');
  for (const lever of list) {
    const w = median(runs.get(lever.name)!.wall);
    const c = median(runs.get(lever.name)!.cpu);
    console.log(`  ${lever.name.padEnd(50)} ${w.toFixed(1).padStart(10)} ${c.toFixed(1).padStart(13)}  ${(w / base).toFixed(2).padStart(8)}x`);
  }
  const overlap: { sequential: number[]; overlapped: number[] } = { sequential: [], overlapped: [] };
  for (let r = 0; r < rounds; r++) {
    const o = await decodeOverlap(model, files);
    overlap.sequential.push(o.sequential);
    overlap.overlapped.push(o.overlapped);
  }
  console.log(`  decode + network, one after the other              ${median(overlap.sequential).toFixed(1).padStart(10)}`);
  console.log(`  decode of the next image overlapped with network   ${median(overlap.overlapped).toFixed(1).padStart(10)}  (the worker pipeline does this: decode on the main thread, network in the worker)`);
}
