// `npm run bench enface`: builds the en-face map set of the 145-B-scan Heidelberg XML volume in
// ../shared/data/formats/heyex-xml-volume (its real B-scan positions from the file, 512 A-scans each)
// and renders the total retina map with its ETDRS grid (raster, SVG, PNG). The target: the map renders
// in under 100 ms. The boundaries are synthetic (a macula with a foveal pit and drusen-like RPE bumps),
// because segmenting 145 B-scans (about 0.75 s each on 2 CPU cores) is a separate cost, measured by the
// segment benchmark. Prints the median of repeated runs.
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { openSeriesFile } from '../../src-main/services/formats/open-series-file';
import { sourceFromSeries, volumeLines } from '../../src-main/services/enface/volume-source';
import { volumeSampler } from '../../src-shared/analysis/enface/map-set';
import { analyseVolume } from '../../src-shared/analysis/enface/volume-analysis';
import { scaleForValues } from '../../src-shared/analysis/enface/colour-scale';
import { SURFACES, type BscanSurfaces } from '../../src-shared/analysis/enface/surfaces';
import { mapRasterHref, svgDocumentToPng } from '../../src-main/services/enface/render-map';
import { mapFigureSvg } from '../../src-main/services/enface/map-svg';

const REPEATS = 9;
const VOLUME = resolve(__dirname, '..', '..', '..', 'shared', 'data', 'formats', 'heyex-xml-volume');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[s.length >> 1]! * 10) / 10;
}

async function main(): Promise<void> {
  const { series, close } = await openSeriesFile(VOLUME);
  const lines = volumeLines(sourceFromSeries(series, 'heyex-xml-volume'));
  await close();
  const axial = series.scale.axialUm ?? 3.872;
  const cx = (lines[0]!.start.x + lines[0]!.end.x) / 2 + 0.2;
  const cy = (lines[0]!.start.y + lines[lines.length - 1]!.start.y) / 2 - 0.1;
  // all nine surfaces, so every map of the set is built: the inner layers share the pit, the RPE has bumps
  const surfaces: BscanSurfaces[] = lines.map((l) => {
    const s = Object.fromEntries(SURFACES.map((n) => [n, new Float32Array(l.width)])) as Record<(typeof SURFACES)[number], Float32Array>;
    for (let i = 0; i < l.width; i++) {
      const x = l.start.x + ((l.end.x - l.start.x) * i) / (l.width - 1);
      const pit = Math.exp(-((x - cx) ** 2 + (l.start.y - cy) ** 2) / (2 * 0.35 ** 2));
      const total = (320 - 110 * pit) / axial;
      const inner = total * (0.45 - 0.35 * pit);
      s.BM[i] = 400;
      s.CSI[i] = 460;
      s.EZ_RPE[i] = 391 - 8 * Math.max(0, Math.sin(9 * x) * Math.cos(7 * l.start.y));
      s.ONL_EZ[i] = 380;
      s.ILM[i] = 400 - total;
      s.NFL_GCL[i] = s.ILM[i]! + inner * 0.3;
      s.IPL_INL[i] = s.ILM[i]! + inner * 0.7;
      s.INL_OPL[i] = s.ILM[i]! + inner;
      s.OPL_ONL[i] = s.INL_OPL[i]! + 6;
    }
    return s;
  });
  const volume = { lines, surfaces, axialUmPerPx: axial, source: 'stratum' as const };

  const samplerMs: number[] = [];
  const analyseMs: number[] = [];
  let analysis = analyseVolume(volume, { eye: 'OD' });
  for (let k = 0; k < REPEATS; k++) {
    const t0 = performance.now();
    const sampler = volumeSampler(lines);
    const t1 = performance.now();
    analysis = analyseVolume(volume, { eye: 'OD', sampler });
    samplerMs.push(t1 - t0);
    analyseMs.push(performance.now() - t1);
  }
  const map = analysis.mapSet.maps.total!;
  const scale = scaleForValues(map.values);
  const rasterMs: number[] = [];
  const svgMs: number[] = [];
  const pngMs: number[] = [];
  for (let k = 0; k < REPEATS; k++) {
    const t0 = performance.now();
    const href = await mapRasterHref(map, scale);
    const t1 = performance.now();
    const svg = mapFigureSvg({ map, rasterHref: href, scale, centre: analysis.fovea.centreMm, stats: analysis.grids.total!, eye: 'OD' }, 'Total retina', 'bench');
    const t2 = performance.now();
    await svgDocumentToPng(svg, 420, 840);
    rasterMs.push(t1 - t0);
    svgMs.push(t2 - t1);
    pngMs.push(performance.now() - t2);
  }
  const g = analysis.mapSet.grid;
  console.log(`volume: ${lines.length} B-scans x ${lines[0]!.width} A-scans; grid ${g.cols} x ${g.rows} cells of ${(g.spacingMm[0] * 1000).toFixed(1)} µm`);
  console.log(`map build: grid sampler ${median(samplerMs)} ms (once per volume), ${Object.keys(analysis.mapSet.maps).length} maps + fovea + ETDRS grids + drusen ${median(analyseMs)} ms`);
  const render = median(rasterMs) + median(svgMs);
  console.log(`render (total retina map): raster PNG ${median(rasterMs)} ms + SVG ${median(svgMs)} ms = ${Math.round(render * 10) / 10} ms (target < 100 ms); figure to an 840 px PNG (librsvg) ${median(pngMs)} ms`);
  console.log(`fovea (${analysis.fovea.centreMm.x}, ${analysis.fovea.centreMm.y}) mm, confidence ${analysis.fovea.confidence}; planted at (${cx.toFixed(3)}, ${cy.toFixed(3)})`);
  if (render >= 100) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
