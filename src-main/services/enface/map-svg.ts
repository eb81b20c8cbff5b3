/**
 * SVG of an en-face map with its ETDRS grid and values, and of its colour legend in µm. Pure string
 * building (the raster comes in as a data URI), on the report SVG kit, so the volume report, the map
 * PNG export and the benchmark draw one layout.
 */
import type { EnfaceMap } from '../../../src-shared/analysis/enface/map-set';
import { ETDRS_DIAMETERS_MM, type GridStats, type SubfieldKey } from '../../../src-shared/analysis/enface/etdrs';
import { colourOf, type ColourScale } from '../../../src-shared/analysis/enface/colour-scale';
import type { BscanLine } from '../../../src-shared/analysis/enface/raster-geometry';
import type { PointMm } from '../../../src-shared/formats/types';
import { nasalSideOf, type Laterality } from '../../../src-shared/domain/laterality';
import { FONT, INK, MUTED, line, n, niceTicks, rect, text } from '../reports/svg-kit';

/** The ground under cells without data (and the legend's 'no data' swatch). */
export const NO_DATA = '#d4d4d4';

export interface MapPanel {
  map: EnfaceMap;
  /** The map's raster (mapToRgba encoded as PNG) as a data URI. */
  rasterHref: string;
  scale: ColourScale;
  /** Grid centre (the fovea); the grid and its values are drawn when `stats` is given. */
  centre: PointMm;
  stats: GridStats | null;
  eye: Laterality;
  /** B-scan lines to draw over the map (the localizer view), and the one to highlight. */
  bscanLines?: readonly BscanLine[];
  highlightBscan?: number;
}

/** Where the panel goes on the page (points) and the mm it shows. */
export interface PanelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface View {
  x0: number;
  y0: number;
  /** Points per mm. */
  k: number;
  ox: number;
  oy: number;
  width: number;
  height: number;
}

export interface ExtentMm {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** The extent of a map's cells (mm). */
export function mapExtent(p: Pick<MapPanel, 'map'>): ExtentMm {
  const g = p.map.grid;
  const [dx, dy] = g.spacingMm;
  return { minX: g.originMm[0] - dx / 2, minY: g.originMm[1] - dy / 2, maxX: g.originMm[0] + (g.cols - 0.5) * dx, maxY: g.originMm[1] + (g.rows - 0.5) * dy };
}

/**
 * The view: `extent` and the 6 mm grid around the centre (a grid bigger than the scan shows its
 * uncovered part as 'no data'), fitted into the box with square mm.
 */
export function viewFor(extent: ExtentMm, centre: PointMm, box: PanelBox): View {
  const R = ETDRS_DIAMETERS_MM[2] / 2 + 0.15;
  const minX = Math.min(extent.minX, centre.x - R);
  const maxX = Math.max(extent.maxX, centre.x + R);
  const minY = Math.min(extent.minY, centre.y - R);
  const maxY = Math.max(extent.maxY, centre.y + R);
  const k = Math.min(box.width / (maxX - minX), box.height / (maxY - minY));
  const width = (maxX - minX) * k;
  const height = (maxY - minY) * k;
  return { x0: minX, y0: minY, k, ox: box.x + (box.width - width) / 2, oy: box.y + (box.height - height) / 2, width, height };
}

/** The map, its no-data ground, the grid with each subfield's mean (and coverage where partial), orientation letters. */
export function mapPanelSvg(p: MapPanel, box: PanelBox): string {
  const e = mapExtent(p);
  const v = viewFor(e, p.centre, box);
  const X = (mm: number) => v.ox + (mm - v.x0) * v.k;
  const Y = (mm: number) => v.oy + (mm - v.y0) * v.k;
  const out: string[] = [];
  out.push(rect(v.ox, v.oy, v.width, v.height, NO_DATA));
  out.push(
    `<image x="${n(X(e.minX))}" y="${n(Y(e.minY))}" width="${n((e.maxX - e.minX) * v.k)}" height="${n((e.maxY - e.minY) * v.k)}" preserveAspectRatio="none" xlink:href="${p.rasterHref}"/>`,
  );
  p.bscanLines?.forEach((l, i) => {
    if (i === p.highlightBscan) return;
    out.push(line(X(l.start.x), Y(l.start.y), X(l.end.x), Y(l.end.y), '#ffffff', 0.25));
  });
  const hl = p.highlightBscan === undefined ? undefined : p.bscanLines?.[p.highlightBscan];
  if (hl) out.push(line(X(hl.start.x), Y(hl.start.y), X(hl.end.x), Y(hl.end.y), '#ff4d4d', 1));
  if (p.stats) out.push(gridSvg(p.centre, p.stats, X, Y, v.k));
  out.push(frameSvg(v, p.eye));
  return out.join('\n');
}

/** Orientation letters (superior up on the localizer; nasal/temporal only for a known eye) and a 1 mm scale bar. */
export function frameSvg(v: View, eye: Laterality): string {
  const sides = sideLetters(eye);
  const mid = v.ox + v.width / 2;
  return [
    text(mid, v.oy - 2.5, 'S', { size: 6.5, anchor: 'middle', color: MUTED, weight: 'bold' }),
    text(mid, v.oy + v.height + 7.5, 'I', { size: 6.5, anchor: 'middle', color: MUTED, weight: 'bold' }),
    text(v.ox - 3, v.oy + v.height / 2 + 2, sides.left, { size: 6.5, anchor: 'end', color: MUTED, weight: 'bold' }),
    text(v.ox + v.width + 3, v.oy + v.height / 2 + 2, sides.right, { size: 6.5, color: MUTED, weight: 'bold' }),
    line(v.ox + 4, v.oy + v.height - 5, v.ox + 4 + v.k, v.oy + v.height - 5, INK, 1.4),
    text(v.ox + 4 + v.k / 2, v.oy + v.height - 7.5, '1 mm', { size: 5.5, anchor: 'middle' }),
  ].join('\n');
}

/** 'N'/'T' on the image sides for a known eye (OD: nasal right), 'L'/'R' while it is unknown. */
function sideLetters(eye: Laterality): { left: string; right: string } {
  if (eye === 'unknown') return { left: 'L', right: 'R' };
  return nasalSideOf(eye) === 'right' ? { left: 'T', right: 'N' } : { left: 'N', right: 'T' };
}

/** Where a subfield's value is written: its middle, in mm from the centre (y down). */
const LABEL_AT: Record<SubfieldKey, [number, number]> = {
  C0: [0, 0], S1: [0, -1], I1: [0, 1], L1: [-1, 0], R1: [1, 0], S2: [0, -2.25], I2: [0, 2.25], L2: [-2.25, 0], R2: [2.25, 0],
};

/** The ETDRS circles and spokes around `centre`, with each subfield's mean (and coverage where partial) when `stats` is given. */
export function gridSvg(centre: PointMm, stats: GridStats | null, X: (mm: number) => number, Y: (mm: number) => number, k: number): string {
  const out: string[] = [];
  const cx = X(centre.x);
  const cy = Y(centre.y);
  const [r0, , r2] = ETDRS_DIAMETERS_MM.map((d) => d / 2) as [number, number, number];
  // dark under light: visible on every colour of the scale and on the grey ground
  for (const [colour, width] of [['#000000', 1.5], ['#ffffff', 0.7]] as const) {
    for (const d of ETDRS_DIAMETERS_MM) out.push(`<circle cx="${n(cx)}" cy="${n(cy)}" r="${n((d / 2) * k)}" fill="none" stroke="${colour}" stroke-width="${width}"/>`);
    for (const a of [45, 135, 225, 315]) {
      const c = Math.cos((a * Math.PI) / 180);
      const s = Math.sin((a * Math.PI) / 180);
      out.push(line(cx + r0 * k * c, cy + r0 * k * s, cx + r2 * k * c, cy + r2 * k * s, colour, width));
    }
  }
  const size = Math.max(5, Math.min(8, k * 0.3));
  for (const sf of stats?.subfields ?? []) {
    const [mx, my] = LABEL_AT[sf.key];
    const x = cx + mx * k;
    const y = cy + my * k;
    const value = sf.meanUm === null ? 'no data' : String(Math.round(sf.meanUm));
    const sub = sf.meanUm === null ? null : sf.partial ? `partial ${Math.round(sf.coveragePct)}%` : null;
    const w = Math.max(value.length * size * 0.6, sub ? sub.length * size * 0.45 : 0) + 4;
    const h = sub ? size * 2 + 2 : size + 3;
    out.push(`<rect x="${n(x - w / 2)}" y="${n(y - size - 0.5)}" width="${n(w)}" height="${n(h)}" rx="1.5" fill="#ffffff" fill-opacity="0.8" stroke="none"/>`);
    out.push(text(x, y, value, { size, anchor: 'middle', weight: sf.partial ? 'normal' : 'bold', color: sf.partial ? MUTED : INK }));
    if (sub) out.push(text(x, y + size * 0.95, sub, { size: size * 0.72, anchor: 'middle', color: '#9b1c1c' }));
  }
  out.push(line(cx - 3, cy, cx + 3, cy, '#ff4d4d', 0.8), line(cx, cy - 3, cx, cy + 3, '#ff4d4d', 0.8));
  return out.join('\n');
}

/** A horizontal colour bar with its ticks in µm and the 'no data' swatch. */
export function legendSvg(scale: ColourScale, x: number, y: number, width: number, height = 7): string {
  const out: string[] = [];
  const steps = 64;
  const barW = width - 44;
  for (let i = 0; i < steps; i++) {
    const value = scale.min + ((scale.max - scale.min) * (i + 0.5)) / steps;
    out.push(rect(x + (barW * i) / steps, y, barW / steps + 0.3, height, colourOf(scale, value)));
  }
  out.push(rect(x, y, barW, height, 'none', INK, 0.4));
  for (const t of niceTicks(scale.min, scale.max, 5)) {
    const tx = x + ((t - scale.min) / (scale.max - scale.min)) * barW;
    out.push(line(tx, y + height, tx, y + height + 2, INK, 0.4));
    out.push(text(tx, y + height + 8, String(t), { size: 6, anchor: 'middle' }));
  }
  out.push(text(x + barW + 3, y + height - 0.5, 'µm', { size: 6.5 }));
  out.push(rect(x + barW + 16, y, 8, height, NO_DATA, INK, 0.3));
  out.push(text(x + barW + 26, y + height - 0.5, 'no', { size: 5 }));
  out.push(text(x + barW + 26, y + height + 5, 'data', { size: 5 }));
  return out.join('\n');
}

/** A standalone figure: title, the panel and the legend (the `<map>.png` of `stratum maps`). */
export function mapFigureSvg(p: MapPanel, title: string, subtitle: string): string {
  const W = 420;
  const H = 470;
  const body = [
    rect(0, 0, W, H, '#ffffff'),
    text(14, 20, title, { size: 11, weight: 'bold' }),
    text(14, 32, subtitle, { size: 7, color: MUTED }),
    mapPanelSvg(p, { x: 22, y: 44, width: W - 44, height: 370 }),
    legendSvg(p.scale, 40, 432, W - 80),
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${FONT}">\n${body.join('\n')}\n</svg>`;
}
