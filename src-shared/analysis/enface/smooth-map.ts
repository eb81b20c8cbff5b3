/**
 * A box mean over a map that ignores cells without data (summed-area tables of values and of counts),
 * so smoothing never spreads a value into a cell that had none.
 */
import type { EnfaceValues } from './enface-map';

/** The mean over a (2r+1)^2 box around each cell that holds data; cells without data stay NaN. */
export function smoothMap(map: EnfaceValues, radiusCells: number): EnfaceValues {
  const { rows, cols } = map.grid;
  const r = Math.max(0, Math.round(radiusCells));
  const w = cols + 1;
  const sum = new Float64Array((rows + 1) * w);
  const cnt = new Int32Array((rows + 1) * w);
  for (let y = 0; y < rows; y++) {
    let rs = 0;
    let rc = 0;
    for (let x = 0; x < cols; x++) {
      const v = map.values[y * cols + x]!;
      if (!Number.isNaN(v)) {
        rs += v;
        rc++;
      }
      sum[(y + 1) * w + x + 1] = sum[y * w + x + 1]! + rs;
      cnt[(y + 1) * w + x + 1] = cnt[y * w + x + 1]! + rc;
    }
  }
  const out = new Float32Array(rows * cols).fill(NaN);
  for (let y = 0; y < rows; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(rows, y + r + 1);
    for (let x = 0; x < cols; x++) {
      if (Number.isNaN(map.values[y * cols + x]!)) continue;
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(cols, x + r + 1);
      const k = cnt[y1 * w + x1]! - cnt[y0 * w + x1]! - cnt[y1 * w + x0]! + cnt[y0 * w + x0]!;
      const s = sum[y1 * w + x1]! - sum[y0 * w + x1]! - sum[y1 * w + x0]! + sum[y0 * w + x0]!;
      out[y * cols + x] = s / k;
    }
  }
  return { grid: map.grid, values: out };
}
