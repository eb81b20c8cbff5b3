/**
 * The volume report's figures: the localizer with the B-scan lines and the grid, and the B-scan nearest
 * the fovea with Stratum's layer surfaces (and the device's, dashed) drawn on it.
 */
import { LAYERS } from '../../../src-shared/domain/layers';
import { SURFACES, type BscanSurfaces } from '../../../src-shared/analysis/enface/surfaces';
import type { BscanLine } from '../../../src-shared/analysis/enface/raster-geometry';
import type { PointMm } from '../../../src-shared/formats/types';
import type { Laterality } from '../../../src-shared/domain/laterality';
import { frameSvg, gridSvg, NO_DATA, viewFor, type ExtentMm, type PanelBox } from '../enface/map-svg';
import { INK, MUTED, line, n, path, rect, text } from './svg-kit';
import type { VolumeReportInput } from './volume-report-input';

/**
 * The localizer (when the volume has its image) with every B-scan's line, the one shown below in red,
 * and the ETDRS circles; without the image, the lines alone over the 'no data' ground, saying so.
 */
export function localizerPanelSvg(input: VolumeReportInput, lines: readonly BscanLine[], centre: PointMm, eye: Laterality, box: PanelBox): string {
  const loc = input.localizer;
  const xs = lines.flatMap((l) => [l.start.x, l.end.x]);
  const ys = lines.flatMap((l) => [l.start.y, l.end.y]);
  const extent: ExtentMm = loc
    ? { minX: 0, minY: 0, maxX: loc.widthPx * loc.scaleXMm, maxY: loc.heightPx * loc.scaleYMm }
    : { minX: Math.min(...xs) - 0.2, minY: Math.min(...ys) - 0.2, maxX: Math.max(...xs) + 0.2, maxY: Math.max(...ys) + 0.2 };
  const v = viewFor(extent, centre, box);
  const X = (mm: number) => v.ox + (mm - v.x0) * v.k;
  const Y = (mm: number) => v.oy + (mm - v.y0) * v.k;
  const out: string[] = [rect(v.ox, v.oy, v.width, v.height, loc ? '#000000' : NO_DATA)];
  if (loc) {
    out.push(`<image x="${n(X(0))}" y="${n(Y(0))}" width="${n(extent.maxX * v.k)}" height="${n(extent.maxY * v.k)}" preserveAspectRatio="none" xlink:href="${loc.href}"/>`);
  } else {
    out.push(text(v.ox + v.width / 2, v.oy + v.height + 15, 'No localizer image in the file: B-scan positions only.', { size: 6.5, anchor: 'middle', color: MUTED }));
  }
  const shown = input.foveaBscan?.index;
  // every 4th line of a dense raster keeps the localizer readable; the first, the last and the one shown are always drawn
  const step = lines.length > 60 ? 4 : 1;
  lines.forEach((l, i) => {
    if (i === shown || (i % step !== 0 && i !== lines.length - 1)) return;
    out.push(line(X(l.start.x), Y(l.start.y), X(l.end.x), Y(l.end.y), loc ? '#7fd3ff' : '#4a6fa5', 0.3));
  });
  if (shown !== undefined && lines[shown]) {
    const l = lines[shown]!;
    out.push(line(X(l.start.x), Y(l.start.y), X(l.end.x), Y(l.end.y), '#ff4d4d', 1));
  }
  out.push(gridSvg(centre, null, X, Y, v.k));
  out.push(frameSvg(v, eye));
  return out.join('\n');
}

/** The colour of a surface: the layer below it (the layer table's colour), so each line reads as the top of its layer. */
function surfaceColour(index: number): string {
  return LAYERS[Math.min(index, LAYERS.length - 1)]!.color;
}

function surfacePath(rows: Float32Array, X: (col: number) => number, Y: (row: number) => number): string {
  let d = '';
  let pen = false;
  for (let c = 0; c < rows.length; c++) {
    const r = rows[c]!;
    if (!Number.isFinite(r)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${n(X(c))} ${n(Y(r))}`;
    pen = true;
  }
  return d;
}

/** The B-scan with the surfaces: Stratum's solid in the layer colours, the device's dashed white; the fovea's foot marked. */
export function foveaBscanSvg(input: VolumeReportInput, foveaColumn: number | null, box: PanelBox): string {
  const b = input.foveaBscan!;
  const out: string[] = [
    `<image x="${n(box.x)}" y="${n(box.y)}" width="${n(box.width)}" height="${n(box.height)}" preserveAspectRatio="none" xlink:href="${b.href}"/>`,
  ];
  const X = (c: number) => box.x + ((c + 0.5) / b.widthPx) * box.width;
  const Y = (r: number) => box.y + ((r + 0.5 - b.rowOffset) / b.heightPx) * box.height;
  SURFACES.forEach((s, i) => {
    const rows = b.stratum?.[s];
    if (rows) out.push(path(surfacePath(rows, X, Y), surfaceColour(i), 0.7));
  });
  for (const s of SURFACES) {
    const rows = (b.device as BscanSurfaces | null)?.[s];
    if (rows) out.push(path(surfacePath(rows, X, Y), '#ffffff', 0.6, '2 1.5'));
  }
  if (foveaColumn !== null) {
    const fx = X(foveaColumn);
    out.push(line(fx, box.y, fx, box.y + box.height, '#ffffff', 0.6, '3 2'));
    out.push(text(fx + 3, box.y + 9, 'fovea', { size: 6.5, color: '#ffffff' }));
  }
  out.push(rect(box.x, box.y, box.width, box.height, 'none', INK, 0.5));
  return out.join('\n');
}
