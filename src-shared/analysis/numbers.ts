/** Small numeric helpers shared by the analysis, the engine and the workers (one rounding rule). */

/** Rounds to `digits` decimals (2 by default): what summaries, timings and reports show. */
export function round(v: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Mean of the non-null values in [start, end); null when there are none. */
export function meanOf(values: readonly (number | null)[], start = 0, end = values.length): number | null {
  let s = 0;
  let k = 0;
  for (let i = start; i < end; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    s += v;
    k++;
  }
  return k === 0 ? null : s / k;
}
