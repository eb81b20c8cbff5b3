// `npm run bench segment`: per-stage times of the segmentation pipeline over ../shared/data/octid-unannotated
// (post-processing split into argmax, islands and the order DP; the flip check's mirrored network run),
// throughput of the worker pipeline (what `stratum segment` runs, flip check included), and a single-image call.
// STRATUM_BENCH_DATA=../shared/data/octdl-diseased measures the diseased scans, where the order DP has work.
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { argmaxLogits, findIslands, orderWithProbabilities, summariseSegmentation } from '../../src-shared/analysis/segmentation';
import { ModelRegistry } from '../../src-main/services/models/registry';
import { createEngine, engineForModel } from '../../src-main/services/segmentation/engine';
import { imageWidthInTensor, mirrorInput, preprocess } from '../../src-main/services/segmentation/preprocess';
import { scaleOfFile } from '../../src-main/services/segmentation/scan-scale';
import { decodeGrey, SegmentationService } from '../../src-main/services/segmentation/segmentation-service';
import { levers } from './levers';

const dataDir = resolve(process.env.STRATUM_BENCH_DATA ?? '../shared/data/octid-unannotated');
const files = readdirSync(dataDir, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && /\.(jpe?g|png|tiff?)$/i.test(e.name))
  .map((e) => join(e.parentPath, e.name))
  .sort();
const limit = Number(process.env.STRATUM_BENCH_LIMIT ?? files.length);
const images = files.slice(0, limit);

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
  return `mean ${mean.toFixed(1)} ms  median ${(s[Math.floor(s.length / 2)] ?? 0).toFixed(1)} ms  max ${(s[s.length - 1] ?? 0).toFixed(1)} ms`;
};

async function stages(): Promise<void> {
  const model = new ModelRegistry().resolve(process.env.STRATUM_MODEL);
  const t0 = performance.now();
  const engine = await createEngine(engineForModel(model), model);
  console.log(`model ${model.card.id} ${model.card.version}${model.card.trained ? '' : ' (UNTRAINED placeholder)'}; engine ${engine.kind}/${engine.executionProvider} ${engine.precision ?? 'float32'}; ${availableParallelism()} cores; load ${(performance.now() - t0).toFixed(0)} ms`);
  const t: Record<string, number[]> = { decode: [], preprocess: [], inference: [], 'inference (mirrored, flip check)': [], argmax: [], islands: [], 'order DP': [], thickness: [], total: [] };
  const dp750: number[] = [];
  const repaired: number[] = [];
  for (const file of images) {
    const a = performance.now();
    const img = await decodeGrey(file);
    const b = performance.now();
    const p = preprocess(model.card, img.grey, img.width, img.height);
    const c = performance.now();
    const logits = await engine.run(p.data, 1, p.height, p.width);
    const d = performance.now();
    await engine.run(mirrorInput(p, imageWidthInTensor(p, img.width)), 1, p.height, p.width);
    const d2 = performance.now();
    const am = argmaxLogits(logits, model.classMap, p.height, p.width, img.height, img.width);
    const e1 = performance.now();
    const islands = findIslands(am.labels, img.width, img.height);
    const e2 = performance.now();
    const ordered = orderWithProbabilities({ logits, offset: 0, tensorWidth: p.width, tensorHeight: p.height, classMap: model.classMap, width: img.width, height: img.height, labels: am.labels, islands: islands.mask });
    const e = performance.now();
    summariseSegmentation({
      labels: ordered.labels, width: img.width, height: img.height, confidence: am.confidence, scale: scaleOfFile(file, img.width, img.height), eye: null,
      model: { id: model.card.id, version: model.card.version, name: model.card.name, trained: model.card.trained },
      engine: { engine: engine.kind, executionProvider: engine.executionProvider }, orderRepair: ordered,
    });
    const f = performance.now();
    t.decode!.push(b - a);
    t.preprocess!.push(c - b);
    t.inference!.push(d - c);
    t['inference (mirrored, flip check)']!.push(d2 - d);
    t.argmax!.push(e1 - d2);
    t.islands!.push(e2 - e1);
    t['order DP']!.push(e - e2);
    t.thickness!.push(f - e);
    t.total!.push(f - a);
    repaired.push(ordered.columns / img.width);
    if (img.width === 750 && img.height === 500) dp750.push(e - e2);
  }
  console.log(`\nper-stage, sequential, in-process, ${images.length} images from ${dataDir}:`);
  for (const [k, v] of Object.entries(t)) console.log(`  ${k.padEnd(33)} ${stats(v)}`);
  const worst = images.length ? Math.max(...repaired) : 0;
  console.log(`  order DP on the 750x500 images: ${stats(dp750)} (target < 30 ms); columns it relabels: up to ${(worst * 100).toFixed(1)} % of an image`);
  const inf = t.inference!.reduce((x, y) => x + y, 0);
  const flip = t['inference (mirrored, flip check)']!.reduce((x, y) => x + y, 0);
  console.log(`  flip check, where it runs: +${((flip / Math.max(1, inf)) * 100).toFixed(0)} % network time for that scan (flip-gate.ts runs it only on unflagged scans above the gate's entropy; STRATUM_FLIP_CHECK=always|0)`);
  const post = t.argmax!.map((v, i) => v + t.islands![i]! + t['order DP']![i]! + t.thickness![i]!).sort((a, b) => a - b);
  console.log(`  post-processing + thickness (argmax, islands, order DP, summary): median ${(post[Math.floor(post.length / 2)] ?? 0).toFixed(1)} ms per image (target < 10 ms)`);
  await engine.dispose();
}

async function throughput(): Promise<void> {
  const service = new SegmentationService();
  const t0 = performance.now();
  await service.load();
  const loaded = performance.now();
  const results = await Promise.all(images.map((f) => service.segmentImage(f)));
  const end = performance.now();
  const n = images.length;
  const mirrored = results.filter((r) => r.summary.timings.runsPerImage === 2).length;
  console.log(`\nworker pipeline (as \`stratum segment\`, PNG/JSON writing excluded): model load ${(loaded - t0).toFixed(0)} ms, ${n} images in ${((end - loaded) / 1000).toFixed(2)} s = ${((n * 1000) / (end - loaded)).toFixed(1)} images/s (${((end - loaded) / n).toFixed(0)} ms/image); flip check ran on ${mirrored}/${n}`);
  const s0 = performance.now();
  const one = await service.segmentImage(images[0]!);
  console.log(`single-image call (warm worker): ${(performance.now() - s0).toFixed(0)} ms; stages ${JSON.stringify(one.summary.timings)}`);
  await service.close();
  const cold = new SegmentationService();
  const c0 = performance.now();
  await cold.segmentImage(images[0]!);
  console.log(`single-image call (cold: worker start + model load + one image): ${(performance.now() - c0).toFixed(0)} ms`);
  await cold.close();
}

void (async () => {
  await stages();
  await throughput();
  // each speed lever alone (levers.ts); STRATUM_BENCH_LEVERS=0 skips them
  if (process.env.STRATUM_BENCH_LEVERS !== '0') await levers(images);
})();
