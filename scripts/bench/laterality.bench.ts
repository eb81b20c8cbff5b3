// `npm run bench laterality`: agreement of the laterality detectors with the orientation markers over the
// 140 OCTID Cirrus exports in ../shared/data (octid-deepeye/images + octid-unannotated/NORMAL), and the
// anatomy method on the Spectralis line scan (header: OD).
//
// (a) the marker reader on the images as they are;
// (b) the anatomy method alone: the marker corner blacked out, the shipped model run through the app's
//     engine (SegmentationService: worker, preprocess, ONNX, post-processing), then the NFL/disc rule.
// Ground truth: test-support/laterality-ground-truth.json, read by eye off contact sheets of the 140
// marker crops; STRATUM_LATERALITY_SHEETS=<folder> writes those sheets again (PNG, 36 crops each).
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import sharp, { type OverlayOptions } from 'sharp';
import { nasalSideFromAnatomy, readOrientationMarker } from '../../src-shared/analysis/laterality';
import { eyeForNasalSide, nasalSideOf, type ImageSide } from '../../src-shared/domain/laterality';
import type { ScanScale } from '../../src-shared/domain/segmentation';
import { scaleOfFile } from '../../src-main/services/segmentation/scan-scale';
import { decodeGrey, SegmentationService, type DecodedImage } from '../../src-main/services/segmentation/segmentation-service';

const data = resolve(process.env.STRATUM_BENCH_DATA_ROOT ?? '../shared/data');
const truth = (JSON.parse(readFileSync('test-support/laterality-ground-truth.json', 'utf8')) as { nasalSide: Record<string, ImageSide> }).nasalSide;
const files = ['octid-deepeye/images', 'octid-unannotated/NORMAL']
  .flatMap((d) => readdirSync(join(data, d)).filter((f) => /\.jpe?g$/i.test(f)).map((f) => join(data, d, f)))
  .sort((a, b) => number(a) - number(b));

function number(file: string): number {
  return Number(/(\d+)\.jpe?g$/i.exec(file)?.[1] ?? 0);
}

/**
 * The corner that holds the marker on every OCTID export (box, arrow and letters; 750x500 and 879x586
 * alike), fixed rather than taken from the marker reader so that (b) does not depend on (a).
 */
function blackOutMarkerCorner(img: DecodedImage): void {
  const x1 = Math.round(img.width * 0.2);
  for (let y = Math.round(img.height * 0.74); y < img.height; y++) img.grey.fill(0, y * img.width, y * img.width + x1);
}

/**
 * A Heidelberg Spectralis .vol, minimally: 2048-byte header (SizeX @12, NumBScans @16, SizeZ @20,
 * ScaleX mm @24, ScaleZ mm @40, SizeXSlo @48, SizeYSlo @52, ScanPosition "OD"/"OS" @84, BScanHdrSize
 * @100), the SLO (SizeXSlo*SizeYSlo bytes), then per B-scan its header and SizeX*SizeZ float32
 * reflectivities, shown as Heidelberg does: (log(v + 2.44e-4) + 8.3) / 8.285, clipped to 0..1.
 */
function readVolBscan(path: string): { image: DecodedImage; scale: ScanScale; eye: string } {
  const b = readFileSync(path);
  if (b.toString('latin1', 0, 8) !== 'HSF-OCT-') throw new Error(`${path}: not a Spectralis .vol`);
  const width = b.readInt32LE(12);
  const height = b.readInt32LE(20);
  const start = 2048 + b.readInt32LE(48) * b.readInt32LE(52) + b.readInt32LE(100);
  if (b.toString('latin1', start - b.readInt32LE(100), start - b.readInt32LE(100) + 6) !== 'HSF-BS') throw new Error(`${path}: no B-scan header where expected`);
  const grey = new Uint8Array(width * height);
  for (let i = 0; i < grey.length; i++) {
    const v = (Math.log(b.readFloatLE(start + i * 4) + 2.44e-4) + 8.3) / 8.285;
    grey[i] = Number.isFinite(v) ? Math.round(255 * Math.min(1, Math.max(0, v))) : 0;
  }
  const scale: ScanScale = { axialUmPerPx: b.readDoubleLE(40) * 1000, lateralUmPerPx: b.readDoubleLE(24) * 1000, provenance: 'file', source: 'Spectralis .vol header' };
  return { image: { grey, width, height }, scale, eye: b.toString('latin1', 84, 86) };
}

const pct = (k: number, n: number) => `${k}/${n} = ${((100 * k) / Math.max(1, n)).toFixed(1)} %`;

function report(title: string, results: { file: string; side: ImageSide | null }[]): void {
  const answered = results.filter((r) => r.side !== null);
  const right = answered.filter((r) => r.side === truth[basename(r.file)]);
  console.log(`\n${title}`);
  console.log(`  agreement (unknown counts as a miss): ${pct(right.length, results.length)}`);
  console.log(`  coverage (answered):                  ${pct(answered.length, results.length)}`);
  console.log(`  accuracy when answered:               ${pct(right.length, answered.length)}`);
  for (const r of results) if (r.side !== truth[basename(r.file)]) console.log(`  miss: ${basename(r.file)} truth nasal ${truth[basename(r.file)]}, read ${r.side ?? 'nothing'}`);
}

async function contactSheets(folder: string): Promise<void> {
  mkdirSync(folder, { recursive: true });
  const cw = 240;
  const ch = 190;
  const cols = 6;
  for (let s = 0; s * 36 < files.length; s++) {
    const layers: OverlayOptions[] = [];
    const chunk = files.slice(s * 36, s * 36 + 36);
    for (const [i, f] of chunk.entries()) {
      const m = await sharp(f).metadata();
      const k = m.width / 750;
      const crop = await sharp(f).extract({ left: 0, top: Math.round(370 * k), width: Math.round(140 * k), height: Math.round(115 * k) }).resize(210, 172).png().toBuffer();
      const x = (i % cols) * cw;
      const y = Math.floor(i / cols) * ch;
      layers.push({ input: crop, left: x, top: y + 18 });
      layers.push({ input: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${cw}" height="18"><text x="2" y="14" font-size="14" fill="yellow" font-family="sans-serif">${basename(f)}</text></svg>`), left: x, top: y });
    }
    const out = join(folder, `laterality-markers-${s + 1}.png`);
    await sharp({ create: { width: cw * cols, height: ch * 6, channels: 3, background: '#000' } }).composite(layers).png().toFile(out);
    console.log(`contact sheet ${out}`);
  }
}

void (async () => {
  if (files.length !== 140) console.log(`warning: ${files.length} OCTID images found under ${data}, expected 140`);
  if (process.env.STRATUM_LATERALITY_SHEETS) await contactSheets(process.env.STRATUM_LATERALITY_SHEETS);

  const marker: { file: string; side: ImageSide | null }[] = [];
  const hidden: { file: string; image: DecodedImage }[] = [];
  let stillSeen = 0;
  let markerMs = 0;
  for (const file of files) {
    const image = await decodeGrey(file);
    const t0 = performance.now();
    marker.push({ file, side: readOrientationMarker(image.grey, image.width, image.height)?.nasalSide ?? null });
    markerMs += performance.now() - t0;
    blackOutMarkerCorner(image);
    if (readOrientationMarker(image.grey, image.width, image.height)) stillSeen++;
    hidden.push({ file, image });
  }
  report(`(a) orientation marker vs ground truth, ${files.length} OCTID images (${(markerMs / files.length).toFixed(2)} ms/image)`, marker);

  const service = new SegmentationService();
  const status = await service.load();
  const anatomy: { file: string; side: ImageSide | null }[] = [];
  // what the app itself records for these images (postprocess: no marker left, so the summary's anatomy fallback)
  const appEye: { file: string; side: ImageSide | null }[] = [];
  const runs = hidden.map(({ file, image }) => service.segmentGrey(image, { scale: scaleOfFile(file, image.width, image.height), eye: null }));
  for (const [i, run] of runs.entries()) {
    const r = await run;
    const { file, image } = hidden[i]!;
    const reading = r.summary.fovea
      ? nasalSideFromAnatomy({ labels: r.labels, width: r.width, height: r.height, foveaColumn: r.summary.fovea.column, lateralUmPerPx: scaleOfFile(file, image.width, image.height).lateralUmPerPx })
      : null;
    anatomy.push({ file, side: reading?.nasalSide ?? null });
    const e = r.summary.eye;
    appEye.push({ file, side: e.source === 'anatomy' && e.value !== 'unknown' ? nasalSideOf(e.value) : null });
  }
  report(
    `(b) anatomy alone (marker corner blacked out; marker still read on ${stillSeen}), model ${status.model?.id} ${status.model?.version} on ${status.engine}/${status.executionProvider}`,
    anatomy,
  );
  report("(b') the same images through the app's own summary (source 'anatomy' counted)", appEye);

  const volPath = join(data, 'formats', 'spectralis-vol', 'Willis_B_716_0.vol');
  const vol = readVolBscan(volPath);
  const r = await service.segmentGrey(vol.image, { scale: vol.scale, eye: null });
  const reading = r.summary.fovea ? nasalSideFromAnatomy({ labels: r.labels, width: r.width, height: r.height, foveaColumn: r.summary.fovea.column, lateralUmPerPx: vol.scale.lateralUmPerPx }) : null;
  const eye = reading ? eyeForNasalSide(reading.nasalSide) : 'unknown';
  console.log(`\n(c) Spectralis line scan ${basename(volPath)} (${vol.image.width}x${vol.image.height}, header eye ${vol.eye}): fovea column ${r.summary.fovea?.column ?? 'none'}, anatomy says ${eye} (nasal ${reading?.nasalSide ?? '-'}, confidence ${reading?.confidence ?? '-'}, ${JSON.stringify(reading?.evidence ?? null)}): ${eye === vol.eye ? 'agrees' : 'DISAGREES'}`);
  // (d) a circle scan around the disc is no fovea-centred line: what the summary's fallback makes of it
  const circle = readVolBscan(join(data, 'formats', 'spectralis-vol', 'Willis_B_716_2.vol'));
  const c = await service.segmentGrey(circle.image, { scale: circle.scale, eye: null });
  console.log(`(d) Spectralis circle scan Willis_B_716_2.vol (header eye ${circle.eye}): fovea ${c.summary.fovea ? `column ${c.summary.fovea.column}, confidence ${c.summary.fovea.confidence}` : 'none'}; summary eye ${JSON.stringify(c.summary.eye)}`);
  await service.close();
})();
