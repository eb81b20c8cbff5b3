// `node scripts/run-script.mjs scripts/postprocess-before-after.ts [out-dir]`: for three diseased OCTDL scans
// (../shared/data/octdl-diseased), runs the shipped model and compares its raw argmax with the old
// post-processing (order-repair.ts: per-column minimum-change relabelling, fills gaps) and the new one
// (from-logits.ts: 2D islands, order from the probabilities, gaps kept). Prints the share of pixels each
// changes and writes one picture per scan, raw argmax | old | new stacked, coloured with the layer
// table's colours, into docs/postprocessing/ (or out-dir). STRATUM_FLAG_DATA overrides ../shared/data.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { argmaxLogits, labelsFromLogits, repairOrder } from '../src-shared/analysis/segmentation';
import { hexToRgb, LAYERS } from '../src-shared/domain/layers';
import { ModelRegistry } from '../src-main/services/models/registry';
import { createEngine, engineForModel } from '../src-main/services/segmentation/engine';
import { preprocess } from '../src-main/services/segmentation/preprocess';
import { decodeGrey } from '../src-main/services/segmentation/segmentation-service';

const root = resolve(process.env.STRATUM_FLAG_DATA ?? '../shared/data', 'octdl-diseased');
const SCANS = ['amd/amd_2945668_5.jpg', 'macular_hole/vid_1416874_1.png', 'macular_hole/vid_1258159_1.png'];
const outDir = resolve(process.argv[2] ?? 'docs/postprocessing');
const WIDTH = 800;
const COLOURS = [[0, 0, 0], ...LAYERS.map((l) => hexToRgb(l.color))];

/**
 * Each labelled pixel in its layer's colour, flat (so the picture stays small and every block or stripe
 * shows); unlabelled pixels show the scan itself in grey, so holes and gaps are seen for what they are.
 */
function paint(grey: Uint8Array, labels: Uint8Array): Buffer {
  const rgb = Buffer.alloc(grey.length * 3);
  for (let i = 0; i < grey.length; i++) {
    const l = labels[i]!;
    // the scan's grey quantised to 16 levels: its speckle would otherwise dominate the file size
    const g = (grey[i]! >> 4) * 17;
    for (let c = 0; c < 3; c++) rgb[i * 3 + c] = l === 0 ? g : COLOURS[l]![c]!;
  }
  return rgb;
}

const changedShare = (a: Uint8Array, b: Uint8Array) => a.reduce((n, v, i) => n + (v === b[i] ? 0 : 1), 0) / a.length;
const pct = (v: number) => `${(v * 100).toFixed(2)} %`;

async function panel(grey: Uint8Array, labels: Uint8Array, w: number, h: number, caption: string): Promise<Buffer> {
  const height = Math.round((h * WIDTH) / w);
  const image = await sharp(paint(grey, labels), { raw: { width: w, height: h, channels: 3 } }).resize(WIDTH, height, { kernel: 'nearest' }).png().toBuffer();
  const bar = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="22"><rect width="100%" height="100%" fill="#111"/><text x="8" y="16" font-family="sans-serif" font-size="14" fill="#eee">${caption}</text></svg>`);
  return sharp({ create: { width: WIDTH, height: height + 22, channels: 3, background: '#111' } })
    .composite([{ input: bar, left: 0, top: 0 }, { input: image, left: 0, top: 22 }])
    .png()
    .toBuffer();
}

void (async () => {
  mkdirSync(outDir, { recursive: true });
  const model = new ModelRegistry().resolve(process.env.STRATUM_MODEL);
  const engine = await createEngine(engineForModel(model), model);
  console.log(`model ${model.card.id} ${model.card.version}; changed pixels against the raw argmax:`);
  for (const rel of SCANS) {
    const file = join(root, rel);
    const name = rel.split('/').pop()!.replace(/\.\w+$/, '');
    const img = await decodeGrey(file);
    const p = preprocess(model.card, img.grey, img.width, img.height);
    const logits = await engine.run(p.data, 1, p.height, p.width);
    const raw = argmaxLogits(logits, model.classMap, p.height, p.width, img.height, img.width).labels;
    const old = Uint8Array.from(raw);
    const t0 = performance.now();
    repairOrder(old, img.width, img.height);
    const t1 = performance.now();
    const now = labelsFromLogits({ logits, offset: 0, classMap: model.classMap, tensorWidth: p.width, tensorHeight: p.height, width: img.width, height: img.height });
    const t2 = performance.now();
    const before = changedShare(raw, old);
    const after = changedShare(raw, now.labels);
    console.log(
      `  ${name.padEnd(15)} ${img.width}x${img.height}  old repair ${pct(before)}  new ${pct(after)} (of which left unlabelled ${pct(now.orderRepair.unlabelled / raw.length)}, islands ${pct(now.orderRepair.islandPixels / raw.length)})  time: old ${(t1 - t0).toFixed(1)} ms, new (argmax+islands+order+entropy) ${(t2 - t1).toFixed(1)} ms`,
    );
    const panels = [
      await panel(img.grey, raw, img.width, img.height, `${name}: raw argmax of the network`),
      await panel(img.grey, old, img.width, img.height, `old order repair: ${pct(before)} of pixels changed`),
      await panel(img.grey, now.labels, img.width, img.height, `new post-processing: ${pct(after)} changed (gaps kept, unsupported pixels unlabelled)`),
    ];
    const heights = await Promise.all(panels.map(async (b) => (await sharp(b).metadata()).height!));
    const total = heights.reduce((a, b) => a + b, 0) + 2 * 4;
    let top = 0;
    const layers = panels.map((input, i) => {
      const l = { input, left: 0, top };
      top += heights[i]! + 4;
      return l;
    });
    const out = join(outDir, `${name}.png`);
    await sharp({ create: { width: WIDTH, height: total, channels: 3, background: '#333' } }).composite(layers).png({ compressionLevel: 9, adaptiveFiltering: true }).toFile(out);
    console.log(`    -> ${out}`);
  }
  await engine.dispose();
})();
