/**
 * Stage 4: the fovea, found as the foveal pit of the total retinal thickness profile (never assumed
 * at the image centre).
 */
import { round } from '../numbers';

/** Moving average with a window of `radius` on each side, ignoring nulls; null where no value is near. */
export function smoothProfile(profile: readonly (number | null)[], radius: number): (number | null)[] {
  const n = profile.length;
  const sum = new Float64Array(n + 1);
  const count = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const v = profile[i];
    sum[i + 1] = sum[i]! + (v ?? 0);
    count[i + 1] = count[i]! + (v === null || v === undefined ? 0 : 1);
  }
  return profile.map((_, i) => {
    const a = Math.max(0, i - radius);
    const b = Math.min(n, i + radius + 1);
    const k = count[b]! - count[a]!;
    return k === 0 ? null : (sum[b]! - sum[a]!) / k;
  });
}

export interface FoveaResult {
  column: number;
  method: string;
  /** 0..1: pit depth relative to the rim (thicker parafovea on both sides) and profile coverage. */
  confidence: number;
}

/**
 * Columns without any retina between columns with retina become 0: a full-thickness macular hole has
 * no tissue over its floor, and ignoring those columns would put the deepest point on the hole's rim.
 */
function holesAsZero(total: readonly (number | null)[]): (number | null)[] {
  const first = total.findIndex((v) => v !== null);
  let last = total.length - 1;
  while (last >= 0 && total[last] === null) last--;
  return total.map((v, x) => (v === null && x > first && x < last ? 0 : v));
}

/**
 * The fovea is the foveal pit: the minimum of the smoothed total retinal thickness within the middle
 * half of the scan (fovea-centred scans rarely put it outside; it is not assumed at the centre), then
 * the middle of the pit at half its depth, so a flat-floored pit or a macular hole (whose floor is
 * uneven with debris) gives the centre of the hole, not the thinnest spot by its rim.
 * Confidence rises with pit depth relative to the parafoveal rim on both sides.
 */
export function findFovea(measured: readonly (number | null)[]): FoveaResult | null {
  const n = measured.length;
  const valid = measured.filter((v) => v !== null).length;
  if (n < 8 || valid < n * 0.5) return null;
  const total = holesAsZero(measured);
  const smooth = smoothProfile(total, Math.max(2, Math.round(n * 0.02)));
  const lo = Math.floor(n * 0.25);
  const hi = Math.ceil(n * 0.75);
  let best = -1;
  for (let x = lo; x < hi; x++) {
    const v = smooth[x];
    if (v === null || v === undefined) continue;
    if (best < 0 || v < smooth[best]!) best = x;
  }
  if (best < 0) return null;
  const pit = smooth[best]!;
  const rimMax = (a: number, b: number) => {
    let m = -Infinity;
    for (let x = Math.max(0, a); x < Math.min(n, b); x++) {
      const v = smooth[x];
      if (v !== null && v !== undefined && v > m) m = v;
    }
    return m;
  };
  const reach = Math.round(n * 0.25);
  const rim = Math.min(rimMax(best - reach, best), rimMax(best + 1, best + 1 + reach));
  if (Number.isFinite(rim) && rim > pit) {
    // the pit's extent at half depth, and its middle
    const half = pit + (rim - pit) / 2;
    const below = (x: number) => x >= 0 && x < n && smooth[x] !== null && smooth[x]! <= half;
    let a = best;
    let b = best;
    while (below(a - 1)) a--;
    while (below(b + 1)) b++;
    best = Math.round((a + b) / 2);
  }
  const depth = Number.isFinite(rim) && rim > 0 ? Math.max(0, (rim - pit) / rim) : 0;
  // a healthy pit is roughly 30-50% thinner than the rim; saturate at 30 %
  const confidence = Math.min(1, depth / 0.3) * (valid / n);
  return { column: best, method: 'foveal-pit: middle of the pit (at half depth) of the smoothed total retinal thickness, deepest point in the middle half', confidence: round(confidence, 3) };
}
