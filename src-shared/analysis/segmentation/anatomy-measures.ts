/**
 * How far one segmentation departs from normal anatomy, measured from its boundaries: columns without
 * retina, layers missing where they belong, and jumps of the inner (ILM) and outer (BM) surfaces that a
 * retina does not make. Each is a plain number; quality.ts decides what is too much.
 */
import { LAYERS, RETINAL_LAYERS } from '../../domain/layers';
import type { LayerBoundaries } from './boundaries';

/** The first layer of the outer retina: what stays at the foveal pit (the layers above it are pushed aside). */
const ONL_INDEX = LAYERS.find((l) => l.key === 'ONL')!.index;
/** Layers present in every column of a healthy retina, foveal pit included (ONL..RPE). */
const OUTER_LAYERS = RETINAL_LAYERS.filter((l) => l.index >= ONL_INDEX);
/**
 * Inner nuclear and outer plexiform layers: present everywhere but inside the foveal pit, where the inner
 * retina is displaced to the rim (and the network rightly finds them thinned to nothing).
 */
const MID_LAYERS = RETINAL_LAYERS.filter((l) => l.index < ONL_INDEX && !l.absentAtFovea);
/** NFL and GCL+IPL (the layer table's absentAtFovea): absent at the pit, and the NFL very thin temporally. */
const INNER_LAYERS = RETINAL_LAYERS.filter((l) => l.absentAtFovea);

export const LAYER_GROUPS = {
  required: `${MID_LAYERS[0]!.key}..${OUTER_LAYERS[OUTER_LAYERS.length - 1]!.key}`,
  inner: INNER_LAYERS.map((l) => l.key).join(', '),
} as const;

/**
 * Half-width of the foveal window, in which the inner layers may be missing: 750 µm when the lateral
 * spacing is known (the pit is about 1.5 mm across), else 12.5 % of the width (750 µm on a 6 mm scan,
 * the usual macular line length).
 */
export function fovealWindowPx(width: number, lateralUmPerPx: number | null): number {
  return lateralUmPerPx !== null && lateralUmPerPx > 0 ? 750 / lateralUmPerPx : width * 0.125;
}

export interface MissingLayers {
  /** Share of all columns with no retinal layer at all. */
  withoutRetina: number;
  /** Share of columns with retina that lack one of INL..RPE (INL and OPL excused inside the foveal window). */
  required: number;
  /** Share of columns with retina that lack NFL or GCL+IPL outside the foveal window. */
  inner: number;
  /**
   * Share of all columns without retina or lacking one of INL..RPE where it belongs: what is really
   * missing. NFL and GCL+IPL are left out (`inner`): besides the fovea, the temporal NFL of a normal
   * macula is often thinner than a pixel (the shipped model misses it in up to 22 % of the columns of
   * the 60 normal OCTID scans).
   */
  any: number;
}

/**
 * Layers missing where they belong. Without a fovea there is no window: every layer is expected in
 * every column (a scan without a foveal pit is measured as the parafovea it then is).
 */
export function missingLayers(b: LayerBoundaries, width: number, foveaColumn: number | null, windowPx: number): MissingLayers {
  if (width === 0) return { withoutRetina: 1, required: 1, inner: 1, any: 1 };
  let none = 0;
  let withRetina = 0;
  let required = 0;
  let inner = 0;
  let any = 0;
  const absent = (index: number, x: number) => b.top[index]![x]! < 0;
  for (let x = 0; x < width; x++) {
    if (RETINAL_LAYERS.every((l) => absent(l.index, x))) {
      none++;
      any++;
      continue;
    }
    withRetina++;
    const inWindow = foveaColumn !== null && Math.abs(x - foveaColumn) <= windowPx;
    const lacksRequired = OUTER_LAYERS.some((l) => absent(l.index, x)) || (!inWindow && MID_LAYERS.some((l) => absent(l.index, x)));
    const lacksInner = !inWindow && INNER_LAYERS.some((l) => absent(l.index, x));
    if (lacksRequired) required++;
    if (lacksInner) inner++;
    if (lacksRequired) any++;
  }
  const share = (k: number) => (withRetina === 0 ? 1 : k / withRetina);
  return { withoutRetina: none / width, required: share(required), inner: share(inner), any: any / width };
}

/**
 * Places where the inner surface (top of the retina, the ILM) or the outer one (bottom of the RPE, BM)
 * moves between neighbouring columns by more than `share` of the median retinal thickness: a retina's
 * surfaces are continuous, so such a jump is a hole's rim, a detachment's edge or a blocky segmentation.
 */
export function surfaceJumps(b: LayerBoundaries, width: number, share = 0.1): number {
  const rpe = RETINAL_LAYERS[RETINAL_LAYERS.length - 1]!.index;
  const top = new Int32Array(width).fill(-1);
  const bottom = new Int32Array(width).fill(-1);
  const thickness: number[] = [];
  for (let x = 0; x < width; x++) {
    for (const l of RETINAL_LAYERS) {
      const t = b.top[l.index]![x]!;
      if (t >= 0 && (top[x]! < 0 || t < top[x]!)) top[x] = t;
      bottom[x] = Math.max(bottom[x]!, b.bottom[l.index]![x]!);
    }
    if (top[x]! >= 0) thickness.push(bottom[x]! - top[x]!);
  }
  if (thickness.length === 0) return 0;
  thickness.sort((p, q) => p - q);
  const limit = share * thickness[Math.floor(thickness.length / 2)]!;
  const bm = b.bottom[rpe]!;
  let jumps = 0;
  for (let x = 0; x + 1 < width; x++) {
    if (top[x]! < 0 || top[x + 1]! < 0) continue;
    const ilm = Math.abs(top[x + 1]! - top[x]!);
    const outer = bm[x]! >= 0 && bm[x + 1]! >= 0 ? Math.abs(bm[x + 1]! - bm[x]!) : 0;
    if (ilm > limit || outer > limit) jumps++;
  }
  return jumps;
}
