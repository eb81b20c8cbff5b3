import { seriesPath } from './boundaries';
import { GRID, INK, MUTED, RULE, axisTicks, line, niceTicks, path, rect, text } from './svg-kit';

export interface PlotSeries {
  values: readonly (number | null)[];
  color: string;
  width?: number;
}

/** How columns map to the x axis: plain columns, or millimetres from an origin column. */
export interface XAxis {
  columns: number;
  /** Millimetres per column, when the lateral scale is known. */
  mmPerColumn: number | null;
  /** Column of x = 0 mm (the fovea, else the left edge). */
  originColumn: number;
  label: string;
}

export interface PlotSpec {
  x: number;
  y: number;
  w: number;
  h: number;
  title: string;
  yLabel: string;
  axis: XAxis;
  series: PlotSeries[];
  /** Columns marked with thin vertical lines (zone limits); `fovea` drawn darker. */
  zoneLimits: number[];
  fovea: number | null;
}

/** One thickness-profile plot with axes, ticks, units and zone markers, as SVG. */
export function profilePlot(p: PlotSpec): string {
  const padL = 34;
  const padR = 6;
  const padT = 14;
  const padB = 26;
  const px = p.x + padL;
  const py = p.y + padT;
  const pw = p.w - padL - padR;
  const ph = p.h - padT - padB;
  let max = 0;
  for (const s of p.series) for (const v of s.values) if (v !== null && Number.isFinite(v) && v > max) max = v;
  const yTicks = axisTicks(max > 0 ? max * 1.05 : 1, 5);
  const yMax = yTicks[yTicks.length - 1] ?? 1;
  const cols = Math.max(1, p.axis.columns);
  const mapX = (c: number) => px + (c / cols) * pw;
  const mapY = (v: number) => py + ph - (Math.min(v, yMax) / yMax) * ph;
  const out: string[] = [];
  out.push(text(p.x, p.y + 8, p.title, { size: 8, weight: 'bold' }));
  for (const t of yTicks) {
    const yy = mapY(t);
    out.push(line(px, yy, px + pw, yy, GRID, 0.4));
    out.push(text(px - 3, yy + 2.3, String(t), { size: 6.5, anchor: 'end', color: MUTED }));
  }
  // x ticks
  const { mmPerColumn, originColumn } = p.axis;
  if (mmPerColumn && mmPerColumn > 0) {
    const lo = (0 - originColumn) * mmPerColumn;
    const hi = (cols - originColumn) * mmPerColumn;
    for (const t of niceTicks(lo, hi, 6)) {
      const c = originColumn + t / mmPerColumn;
      if (c < 0 || c > cols) continue;
      out.push(line(mapX(c), py + ph, mapX(c), py + ph + 2.5, INK, 0.4));
      out.push(text(mapX(c), py + ph + 9, String(Math.round(t * 10) / 10), { size: 6.5, anchor: 'middle', color: MUTED }));
    }
  } else {
    for (const t of niceTicks(0, cols, 6)) {
      out.push(line(mapX(t), py + ph, mapX(t), py + ph + 2.5, INK, 0.4));
      out.push(text(mapX(t), py + ph + 9, String(t), { size: 6.5, anchor: 'middle', color: MUTED }));
    }
  }
  for (const c of p.zoneLimits) out.push(line(mapX(c), py, mapX(c), py + ph, RULE, 0.4, '2 2'));
  if (p.fovea !== null) out.push(line(mapX(p.fovea), py, mapX(p.fovea), py + ph, MUTED, 0.6, '3 1.5'));
  const step = Math.max(1, Math.floor(cols / 500));
  for (const s of p.series) out.push(path(seriesPath(s.values, mapX, mapY, step), s.color, s.width ?? 0.8));
  if (max === 0) out.push(text(px + pw / 2, py + ph / 2, 'No thickness data', { size: 8, anchor: 'middle', color: MUTED }));
  out.push(rect(px, py, pw, ph, 'none', INK, 0.5));
  out.push(text(px + pw / 2, p.y + p.h - 2, p.axis.label, { size: 6.8, anchor: 'middle', color: MUTED }));
  out.push(text(p.x + 7, py + ph / 2, p.yLabel, { size: 6.8, anchor: 'middle', color: MUTED, rotate: -90 }));
  return out.join('\n');
}
