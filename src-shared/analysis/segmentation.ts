/**
 * Post-network analysis of a B-scan segmentation: argmax and confidence, anatomical order repair,
 * per-column boundaries, thickness per layer and total, fovea, ETDRS-style zones and quality flags.
 * Pure functions (no Node, no DOM) so the viewer, the CLI and the reports compute the same numbers.
 *
 * Label maps are row-major Uint8Array (index = row * width + column) holding canonical class indices
 * (0 background, 1..8 NFL..Choroid, see domain/layers.ts).
 */
import { CLASS_COUNT, LAYERS } from '../domain/layers';
import type {
  LayerThickness,
  QualityFlags,
  ScanScale,
  SegmentationSummary,
  ThicknessUnit,
  ZoneKey,
  ZoneSpan,
} from '../domain/segmentation';
import { ZONE_KEYS } from '../domain/segmentation';

/** Pixels whose softmax maximum is below this count as low-confidence. */
export const LOW_CONFIDENCE_THRESHOLD = 0.5;
/** Retinal layers (NFL..RPE): what total retinal thickness spans. Choroid (8) is not retina. */
const RETINA_FIRST = 1;
const RETINA_LAST = 7;

const EXP_RANGE = 20;
const EXP_STEPS = 64;
const EXP_LIMIT = EXP_RANGE * EXP_STEPS;
/** exp(-k / EXP_STEPS) for k = 0..EXP_LIMIT (+1 for interpolation). */
const EXP_TABLE = Float64Array.from({ length: EXP_LIMIT + 2 }, (_, k) => Math.exp(-k / EXP_STEPS));

export interface ArgmaxResult {
  labels: Uint8Array;
  /** Softmax maximum per pixel (0..1). */
  confidence: Float32Array;
}

/**
 * Argmax over logits of one image laid out [C, H, W] (C = classMap.length), with the model's class
 * index c mapped to the canonical index classMap[c]. `height`/`width` is the tensor's size; the
 * result is cropped to `outHeight` x `outWidth` (the top-left region, i.e. the image before padding).
 */
export function argmaxLogits(
  logits: Float32Array,
  classMap: readonly number[],
  height: number,
  width: number,
  outHeight = height,
  outWidth = width,
  offset = 0,
): ArgmaxResult {
  const channels = classMap.length;
  const plane = height * width;
  const n = outHeight * outWidth;
  const labels = new Uint8Array(n);
  const max = new Float32Array(n);
  const sum = new Float32Array(n);
  // plane by plane (sequential memory access): running max with its class, then the softmax denominator
  for (let c = 0; c < channels; c++) {
    const base = offset + c * plane;
    for (let y = 0, o = 0; y < outHeight; y++) {
      let p = base + y * width;
      for (let x = 0; x < outWidth; x++, o++, p++) {
        const v = logits[p]!;
        if (c === 0 || v > max[o]!) {
          max[o] = v;
          labels[o] = c;
        }
      }
    }
  }
  const table = EXP_TABLE;
  for (let c = 0; c < channels; c++) {
    const base = offset + c * plane;
    for (let y = 0, o = 0; y < outHeight; y++) {
      let p = base + y * width;
      for (let x = 0; x < outWidth; x++, o++, p++) {
        // exp(d) for d <= 0 from a table with linear interpolation (relative error < 1e-4); 0 below -EXP_RANGE
        const t = (max[o]! - logits[p]!) * EXP_STEPS;
        if (t < EXP_LIMIT) {
          const i = t | 0;
          const a = table[i]!;
          sum[o] = sum[o]! + a + (table[i + 1]! - a) * (t - i);
        }
      }
    }
  }
  const lut = Uint8Array.from(classMap);
  for (let o = 0; o < n; o++) {
    labels[o] = lut[labels[o]!]!;
    sum[o] = 1 / sum[o]!;
  }
  return { labels, confidence: sum };
}

/**
 * Makes every column anatomically ordered: background above, then NFL..Choroid top to bottom, each
 * layer one contiguous band (or absent), background below. Solved exactly per column as the ordered
 * relabelling that changes the fewest pixels (dynamic programming over 10 states: background above,
 * the 8 layers, background below), which removes islands and out-of-order fragments and fills
 * unlabeled gaps inside the retina from a neighbouring layer. Works in place; returns the number of
 * columns that needed a change and the number of pixels changed.
 */
export function repairOrder(labels: Uint8Array, width: number, height: number): { columns: number; pixels: number } {
  const S = CLASS_COUNT + 1; // states 0..9; state 9 = background below
  const stateLabel = (s: number) => (s === S - 1 ? 0 : s);
  const choice = new Uint8Array(height * S);
  let cost = new Float64Array(S);
  let next = new Float64Array(S);
  const column = new Uint8Array(height);
  let columnsChanged = 0;
  let pixelsChanged = 0;
  for (let x = 0; x < width; x++) {
    // fast path: most columns of a good segmentation are already ordered
    let state = 0;
    let ordered = true;
    for (let y = 0; y < height; y++) {
      const l = labels[y * width + x]!;
      column[y] = l;
      if (l === 0) {
        if (state !== 0) state = S - 1;
      } else if (state === S - 1 || l < state) {
        ordered = false;
      } else {
        state = l;
      }
    }
    if (ordered) continue;
    for (let s = 0; s < S; s++) {
      // first row: any state may start (states before it are empty)
      cost[s] = column[0] === stateLabel(s) ? 0 : 1;
      choice[s] = s;
    }
    for (let y = 1; y < height; y++) {
      const l = column[y]!;
      let bestPrev = Infinity;
      let bestPrevState = 0;
      for (let s = 0; s < S; s++) {
        if (cost[s]! < bestPrev) {
          bestPrev = cost[s]!;
          bestPrevState = s;
        }
        // on ties stay in the same state (fewer boundaries)
        const stay = cost[s]!;
        let from = s;
        let base = stay;
        if (bestPrev < stay) {
          base = bestPrev;
          from = bestPrevState;
        }
        next[s] = base + (l === stateLabel(s) ? 0 : 1);
        choice[y * S + s] = from;
      }
      const t = cost;
      cost = next;
      next = t;
    }
    let s = 0;
    for (let k = 1; k < S; k++) if (cost[k]! < cost[s]!) s = k;
    let changed = 0;
    for (let y = height - 1; y >= 0; y--) {
      const want = stateLabel(s);
      if (column[y] !== want) {
        labels[y * width + x] = want;
        changed++;
      }
      if (y > 0) s = choice[y * S + s]!;
    }
    if (changed > 0) {
      columnsChanged++;
      pixelsChanged += changed;
    }
  }
  return { columns: columnsChanged, pixels: pixelsChanged };
}

export interface LayerBoundaries {
  /** Per canonical class 1..8 (index 0 unused): first row of the layer per column, -1 where absent. */
  top: Int32Array[];
  /** Per class: one past the last row of the layer per column, -1 where absent. */
  bottom: Int32Array[];
}

/**
 * Upper and lower boundary of each layer per column: `top` is the first row holding the class and
 * `bottom` one past the last (so thickness = bottom - top after order repair).
 */
export function layerBoundaries(labels: Uint8Array, width: number, height: number): LayerBoundaries {
  const top: Int32Array[] = [];
  const bottom: Int32Array[] = [];
  for (let c = 0; c < CLASS_COUNT; c++) {
    top.push(new Int32Array(width).fill(-1));
    bottom.push(new Int32Array(width).fill(-1));
  }
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const c = labels[row + x]!;
      if (c === 0) continue;
      const t = top[c]!;
      if (t[x] === -1) t[x] = y;
      bottom[c]![x] = y + 1;
    }
  }
  return { top, bottom };
}

/** Thickness in pixels per column of layer `c` (null where absent). Assumes order-repaired labels. */
export function layerThicknessPx(b: LayerBoundaries, c: number): (number | null)[] {
  const t = b.top[c]!;
  const bo = b.bottom[c]!;
  return Array.from(t, (v, x) => (v < 0 ? null : bo[x]! - v));
}

/** Total retinal thickness per column in pixels: top of the uppermost retinal layer (NFL where present)
 * to the bottom of the lowest (RPE where present); null where no retinal layer is present. */
export function totalThicknessPx(b: LayerBoundaries, width: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let x = 0; x < width; x++) {
    let top = -1;
    let bottom = -1;
    for (let c = RETINA_FIRST; c <= RETINA_LAST; c++) {
      const t = b.top[c]![x]!;
      if (t < 0) continue;
      if (top < 0 || t < top) top = t;
      bottom = Math.max(bottom, b.bottom[c]![x]!);
    }
    out.push(top < 0 ? null : bottom - top);
  }
  return out;
}

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
 * The fovea is the foveal pit: the minimum of the smoothed total retinal thickness within the middle
 * half of the scan (fovea-centred scans rarely put it outside; it is not assumed at the centre).
 * Confidence rises with pit depth relative to the parafoveal rim on both sides.
 */
export function findFovea(total: readonly (number | null)[]): FoveaResult | null {
  const n = total.length;
  const valid = total.filter((v) => v !== null).length;
  if (n < 8 || valid < n * 0.5) return null;
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
  // Several equal minima (a flat pit floor): take the middle of the run.
  let end = best;
  while (end + 1 < hi && smooth[end + 1] === smooth[best]) end++;
  best = Math.round((best + end) / 2);
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
  const left = rimMax(best - reach, best);
  const right = rimMax(best + 1, best + 1 + reach);
  const rim = Math.min(left, right);
  const depth = Number.isFinite(rim) && rim > 0 ? Math.max(0, (rim - pit) / rim) : 0;
  // a healthy pit is roughly 30-50% thinner than the rim; saturate at 30 %
  const confidence = Math.min(1, depth / 0.3) * (valid / n);
  return { column: best, method: 'foveal-pit: minimum of smoothed total retinal thickness in the middle half', confidence: round(confidence, 3) };
}

export type Eye = 'OD' | 'OS';

/**
 * ETDRS-style zones along a horizontal B-scan: centre (1 mm diameter), inner ring (1-3 mm) and outer
 * ring (3-6 mm) on each side of the fovea. Needs the lateral spacing; returns [] when it is unknown.
 *
 * Convention: B-scans are displayed as in the fundus view (image left = the examiner's left when facing
 * the patient, as Heidelberg and Zeiss show them). Nasal points toward the optic disc: for a right eye
 * (OD) the disc lies to the right of the fovea on the image, so nasal = right, temporal = left; for a
 * left eye (OS) it is mirrored (nasal = left).
 */
export function zoneSpans(foveaColumn: number, width: number, lateralUmPerPx: number | null, eye: Eye): ZoneSpan[] {
  if (lateralUmPerPx === null || !(lateralUmPerPx > 0)) return [];
  const r = (um: number) => um / lateralUmPerPx;
  const nasalSign = eye === 'OD' ? 1 : -1;
  const spans: ZoneSpan[] = [];
  const add = (key: ZoneKey, a: number, b: number) => {
    const start = Math.max(0, Math.round(Math.min(a, b)));
    const end = Math.min(width, Math.round(Math.max(a, b)));
    if (end > start) spans.push({ key, startColumn: start, endColumn: end });
  };
  const f = foveaColumn;
  add('centre', f - r(500), f + r(500));
  add('nasalInner', f + nasalSign * r(500), f + nasalSign * r(1500));
  add('nasalOuter', f + nasalSign * r(1500), f + nasalSign * r(3000));
  add('temporalInner', f - nasalSign * r(500), f - nasalSign * r(1500));
  add('temporalOuter', f - nasalSign * r(1500), f - nasalSign * r(3000));
  return ZONE_KEYS.flatMap((k) => spans.filter((s) => s.key === k));
}

function mean(values: readonly (number | null)[], start = 0, end = values.length): number | null {
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

function round(v: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function thicknessRecord(
  pxProfile: readonly (number | null)[],
  unit: ThicknessUnit,
  axial: number | null,
  zones: readonly ZoneSpan[],
): Omit<LayerThickness, 'layer'> {
  const profile = pxProfile.map((v) => (v === null ? null : round(unit === 'um' ? v * axial! : v)));
  const zoneMeans = Object.fromEntries(ZONE_KEYS.map((k) => [k, null])) as Record<ZoneKey, number | null>;
  for (const z of zones) {
    const m = mean(profile, z.startColumn, z.endColumn);
    zoneMeans[z.key] = m === null ? null : round(m);
  }
  const m = mean(profile);
  return { unit, profile, zoneMeans, mean: m === null ? null : round(m) };
}

export interface SummariseInput {
  /** Order-repaired labels. */
  labels: Uint8Array;
  width: number;
  height: number;
  /** Softmax maxima (same layout), or null when unknown (e.g. a mask loaded from disk). */
  confidence: Float32Array | null;
  scale: ScanScale;
  /** null: unknown, treated as OD and reported as assumed. */
  eye: Eye | null;
  model: SegmentationSummary['model'];
  engine: SegmentationSummary['engine'];
  orderRepair: { columns: number; pixels: number };
  timings?: Record<string, number>;
}

/** Plausible mean total retinal thickness (µm) over a macular B-scan. */
const TRT_UM_RANGE: [number, number] = [120, 700];

/** The whole summary for one scan from its repaired label map: boundaries, thickness, fovea, zones, flags. */
export function summariseSegmentation(input: SummariseInput): SegmentationSummary {
  const t0 = now();
  const { labels, width, height, confidence, scale } = input;
  const axial = scale.axialUmPerPx;
  const unit: ThicknessUnit = axial !== null && axial > 0 ? 'um' : 'px';
  const b = layerBoundaries(labels, width, height);
  const totalPx = totalThicknessPx(b, width);
  const fovea = findFovea(totalPx);
  const eye: Eye = input.eye ?? 'OD';
  const zones = fovea ? zoneSpans(fovea.column, width, scale.lateralUmPerPx, eye) : [];
  const layers: LayerThickness[] = LAYERS.map((l) => ({ layer: l.key, ...thicknessRecord(layerThicknessPx(b, l.index), unit, axial, zones) }));
  const total = { layer: 'TRT' as const, ...thicknessRecord(totalPx, unit, axial, zones) };

  // Confidence over retinal pixels (NFL..RPE).
  let retinal = 0;
  let low = 0;
  let confSum = 0;
  if (confidence) {
    for (let i = 0; i < labels.length; i++) {
      const c = labels[i]!;
      if (c < RETINA_FIRST || c > RETINA_LAST) continue;
      retinal++;
      const v = confidence[i]!;
      confSum += v;
      if (v < LOW_CONFIDENCE_THRESHOLD) low++;
    }
  }
  const lowShare = retinal === 0 ? 0 : low / retinal;
  const confMean = confidence ? (retinal === 0 ? 0 : confSum / retinal) : 1;

  // NFL and GCL+IPL legitimately thin to nothing at the foveal pit, so failure looks at INL..RPE only
  let missing = 0;
  let missingOuter = 0;
  for (let x = 0; x < width; x++) {
    let any = false;
    let outer = false;
    for (let c = RETINA_FIRST; c <= RETINA_LAST; c++) {
      if (b.top[c]![x]! >= 0) continue;
      any = true;
      if (c >= 3) outer = true;
    }
    if (any) missing++;
    if (outer) missingOuter++;
  }
  const columnsMissingLayers = width === 0 ? 1 : missing / width;
  const columnsMissingOuter = width === 0 ? 1 : missingOuter / width;

  const implausible: string[] = [];
  const reasons: string[] = [];
  if (unit === 'um' && total.mean !== null && (total.mean < TRT_UM_RANGE[0] || total.mean > TRT_UM_RANGE[1])) {
    implausible.push(`TRT mean ${total.mean} µm outside ${TRT_UM_RANGE[0]}-${TRT_UM_RANGE[1]} µm`);
  }
  for (const l of layers) {
    const px = l.mean === null ? null : unit === 'um' ? l.mean / axial! : l.mean;
    if (px !== null && px > height * 0.4) implausible.push(`${l.layer} mean thickness is ${Math.round(px)} px, over 40% of the image height`);
  }
  const noRetina = totalPx.every((v) => v === null);
  if (noRetina) reasons.push('no retinal layer found');
  if (columnsMissingOuter > 0.3) reasons.push(`${Math.round(columnsMissingOuter * 100)}% of columns lack one of INL..RPE`);
  if (lowShare > 0.3) reasons.push(`${Math.round(lowShare * 100)}% of retinal pixels have low confidence`);
  if (!fovea) reasons.push('fovea not found');
  else if (fovea.confidence < 0.2) reasons.push('no clear foveal pit');
  if (input.orderRepair.columns > width * 0.5) reasons.push(`order repaired in ${input.orderRepair.columns} of ${width} columns`);
  reasons.push(...implausible);
  const likelyFailure = noRetina || columnsMissingOuter > 0.3 || lowShare > 0.5 || implausible.length > 0;
  if (input.eye === null && zones.length > 0) reasons.push('eye unknown: nasal/temporal zones assume OD');

  const flags: QualityFlags = {
    orderViolationsRepaired: input.orderRepair.columns,
    columnsMissingLayers: round(columnsMissingLayers, 4),
    implausibleThickness: implausible,
    lowConfidenceShare: round(lowShare, 4),
    likelyFailure,
    reasons,
  };
  const timings = { ...(input.timings ?? {}), thickness: round(now() - t0, 2) };
  return {
    model: input.model,
    engine: input.engine,
    scale,
    width,
    height,
    fovea,
    zones,
    layers,
    total,
    confidence: { mean: round(confMean, 4), lowShare: round(lowShare, 4) },
    flags,
    timings,
    eye: { value: eye, assumed: input.eye === null },
  };
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
