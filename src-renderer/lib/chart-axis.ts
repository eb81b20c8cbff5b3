/**
 * Axes for the thickness chart: round-number ticks (1, 2 or 5 times a power of ten) instead of a range
 * cut into quarters (96/192/288/384), and the chart's x-axis in millimetres from the fovea.
 */

/** A round step near range / target: 1, 2 or 5 × 10^k, whichever is nearest on a log scale (as d3 picks them). */
export function niceStep(range: number, target = 4): number {
  if (!(range > 0) || !Number.isFinite(range)) return 1;
  const raw = range / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return (m >= Math.sqrt(50) ? 10 : m >= Math.sqrt(10) ? 5 : m >= Math.sqrt(2) ? 2 : 1) * power;
}

/** Ticks covering [min, max] with a round step; the first and last enclose the data (the axis runs from one to the other). */
export function niceTicks(min: number, max: number, target = 4): number[] {
  if (!(max > min)) return [min];
  const step = niceStep(max - min, target);
  const first = Math.floor(min / step) * step;
  const last = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  // rounded to the step's decimals, so 0.1 + 0.2 does not print as 0.30000000000000004
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  for (let v = first; v <= last + step / 2; v += step) ticks.push(Number(v.toFixed(decimals)));
  return ticks;
}

/** How the chart's x-axis reads a column: mm from the fovea, mm from the left edge without one, else the pixel column. */
export interface XAxis {
  label: string;
  unit: 'mm' | 'px';
  /** Column -> axis value. */
  value(column: number): number;
  /** Axis value -> column (fractional). */
  column(value: number): number;
}

export function xAxisFor(lateralUmPerPx: number | null, foveaColumn: number | null): XAxis {
  if (lateralUmPerPx === null || !(lateralUmPerPx > 0)) {
    return { label: 'column (px); the lateral spacing is unknown', unit: 'px', value: (c) => c, column: (v) => v };
  }
  const mmPerPx = lateralUmPerPx / 1000;
  const origin = foveaColumn ?? 0;
  return {
    label: foveaColumn === null ? 'mm from the left edge (no fovea found)' : 'mm from the fovea (− left, + right of the image)',
    unit: 'mm',
    value: (c) => (c - origin) * mmPerPx,
    column: (v) => v / mmPerPx + origin,
  };
}

/** A tick's text: whole numbers plain, else as many decimals as the step needs; a minus sign, not a hyphen. */
export function tickLabel(v: number, step: number): string {
  const decimals = step >= 1 ? 0 : Math.max(0, -Math.floor(Math.log10(step)));
  const text = Math.abs(v).toFixed(decimals);
  return v < 0 && Number(text) !== 0 ? `−${text}` : text;
}
