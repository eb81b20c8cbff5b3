import { round } from '../../../src-shared/analysis/numbers';
import { escapeXml } from '../../../src-shared/text/xml';

/** Small SVG building helpers shared by the report layout and its plots (page units are PDF points). */

export const FONT = 'Helvetica, Arial, sans-serif';
export const INK = '#222222';
export const MUTED = '#666666';
export const RULE = '#b8b8b8';
export const GRID = '#e4e4e4';

export interface TextOptions {
  size?: number;
  weight?: 'normal' | 'bold';
  anchor?: 'start' | 'middle' | 'end';
  color?: string;
  rotate?: number;
}

export function text(x: number, y: number, content: string, o: TextOptions = {}): string {
  const attrs = [
    `x="${n(x)}"`,
    `y="${n(y)}"`,
    `font-family="${FONT}"`,
    `font-size="${o.size ?? 8}"`,
    `fill="${o.color ?? INK}"`,
  ];
  if (o.weight === 'bold') attrs.push('font-weight="bold"');
  if (o.anchor && o.anchor !== 'start') attrs.push(`text-anchor="${o.anchor}"`);
  if (o.rotate) attrs.push(`transform="rotate(${o.rotate} ${n(x)} ${n(y)})"`);
  return `<text ${attrs.join(' ')}>${escapeXml(content)}</text>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, color = RULE, width = 0.5, dash?: string): string {
  const d = dash ? ` stroke-dasharray="${dash}"` : '';
  return `<line x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}" stroke="${color}" stroke-width="${width}"${d}/>`;
}

export function rect(x: number, y: number, w: number, h: number, fill: string, stroke = 'none', strokeWidth = 0.5): string {
  return `<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" fill="${fill}" stroke="${stroke}" stroke-width="${strokeWidth}"/>`;
}

export function path(d: string, color: string, width = 0.8, dash?: string): string {
  if (!d) return '';
  const da = dash ? ` stroke-dasharray="${dash}"` : '';
  return `<path d="${d}" fill="none" stroke="${color}" stroke-width="${width}" stroke-linejoin="round"${da}/>`;
}

/** Number to a compact attribute string. */
export function n(v: number): string {
  return String(round(v));
}

/** Rough Helvetica width of a string (average glyph ~0.53 em); used only for wrapping and fitting. */
export function approxWidth(s: string, size: number): number {
  return s.length * size * 0.53;
}

/** Greedy word wrap to a width in points. */
export function wrap(s: string, width: number, size: number): string[] {
  const words = s.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    const next = cur ? `${cur} ${w}` : w;
    if (cur && approxWidth(next, size) > width) {
      lines.push(cur);
      cur = w;
    } else cur = next;
  }
  if (cur) lines.push(cur);
  return lines;
}

/** Shortens a string to fit a width, with an ellipsis. */
export function fit(s: string, width: number, size: number): string {
  if (approxWidth(s, size) <= width) return s;
  const max = Math.max(1, Math.floor(width / (size * 0.53)) - 1);
  return `${s.slice(0, max)}…`;
}

/** "Nice" axis ticks covering [0, max]. */
export function niceTicks(min: number, max: number, target = 5): number[] {
  const span = max - min;
  if (!(span > 0)) return [min];
  const raw = span / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => span / s <= target) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number((Math.round(v / step) * step).toPrecision(12)));
  return ticks;
}

/** Ticks from 0 that end at or above `max` (for a y axis that must hold every value). */
export function axisTicks(max: number, target = 5): number[] {
  const ticks = niceTicks(0, max, target);
  const last = ticks[ticks.length - 1] ?? 0;
  if (last < max) {
    const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : max;
    ticks.push(Number((last + step).toPrecision(12)));
  }
  return ticks;
}
