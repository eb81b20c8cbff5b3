/**
 * Which side of a fovea-centred horizontal B-scan is nasal, read from the segmentation's anatomy:
 *
 * - the nerve fibre layer: all retinal ganglion cell axons run to the optic disc, so at the same
 *   distance from the fovea the NFL is thicker on the nasal side (the papillomacular bundle) than on
 *   the temporal side (normative OCT: roughly twice as thick 1-3 mm from the fovea);
 * - the optic disc, where it is in view: the RPE / Bruch's membrane ends at the disc margin, with the
 *   thick peripapillary NFL just before it.
 *
 * Pure: a class-index label map (domain/layers.ts) and the fovea column in, a side or null out. A weak
 * or contradictory difference gives null, never a coin flip.
 */
import type { ImageSide } from '../../domain/laterality';
import { LAYERS, RETINAL_LAYERS } from '../../domain/layers';
import { round } from '../numbers';
import { layerBoundaries } from '../segmentation/boundaries';

export interface AnatomyInput {
  /** Order-repaired canonical class indices, row-major. */
  labels: Uint8Array;
  width: number;
  height: number;
  foveaColumn: number;
  /** µm per column; null when unknown (the bands are then fractions of the width, as on a 6 mm scan). */
  lateralUmPerPx: number | null;
}

export interface AnatomyReading {
  nasalSide: ImageSide;
  /** 0..1 from the NFL contrast between the sides, raised when the optic disc agrees. */
  confidence: number;
  evidence: {
    /** Mean NFL thickness (px) in the matched bands left and right of the fovea. */
    nflLeft: number;
    nflRight: number;
    /** |left - right| / max(left, right). */
    contrast: number;
    /** The side an optic disc margin was found on, or null. */
    disc: ImageSide | null;
  };
}

/** The matched bands: 1-3 mm from the fovea (papillomacular bundle vs temporal raphe side). */
const BAND_NEAR_UM = 1000;
const BAND_FAR_UM = 3000;
/** Without a lateral scale: the same band on a 6 mm scan, as a share of the width. */
const BAND_NEAR_SHARE = 1 / 6;
const BAND_FAR_SHARE = 1 / 2;
/** Bands shorter than this (the fovea near an image edge) say nothing. */
const MIN_BAND_UM = 500;
const MIN_BAND_SHARE = 1 / 12;
/** Columns of a band that must hold retina. */
const MIN_BAND_COVERAGE = 0.5;
/** Below this NFL contrast between the sides, the NFL is no evidence. */
const MIN_CONTRAST = 0.2;
/** ... nor when the sides differ by less than this many pixels of mean thickness (noise at low resolution). */
const MIN_DIFFERENCE_PX = 0.5;
/** An optic disc: the RPE absent over at least 0.3 mm (or 4 % of the width), away from the fovea. */
const DISC_GAP_UM = 300;
const DISC_GAP_SHARE = 0.04;
/** ... with an NFL this many times thicker just before the gap than in the other side's band. */
const DISC_NFL_RATIO = 1.5;

const NFL = LAYERS[0]!.index;
const RPE = RETINAL_LAYERS[RETINAL_LAYERS.length - 1]!.index;

/** The nasal side by anatomy, or null when the evidence is weak or contradicts itself. */
export function nasalSideFromAnatomy(input: AnatomyInput): AnatomyReading | null {
  const { labels, width, height, foveaColumn: f, lateralUmPerPx } = input;
  if (!(f >= 0 && f < width) || labels.length < width * height) return null;
  const scaled = lateralUmPerPx !== null && lateralUmPerPx > 0;
  const px = (um: number, share: number) => (scaled ? um / lateralUmPerPx : share * width);
  const b = layerBoundaries(labels, width, height);
  const retina = (x: number) => RETINAL_LAYERS.some((l) => b.top[l.index]![x]! >= 0);
  // NFL thickness in px per column, 0 where the retina is there without an NFL, null without retina
  const nfl = Array.from({ length: width }, (_, x) => (retina(x) ? Math.max(0, b.bottom[NFL]![x]! - b.top[NFL]![x]!) : null));

  const near = Math.round(px(BAND_NEAR_UM, BAND_NEAR_SHARE));
  // matched: both bands span the same distances from the fovea, cut to what both sides have in view
  const far = Math.min(Math.round(px(BAND_FAR_UM, BAND_FAR_SHARE)), f, width - 1 - f);
  let nflLeft: number | null = null;
  let nflRight: number | null = null;
  if (far - near >= px(MIN_BAND_UM, MIN_BAND_SHARE)) {
    nflLeft = bandMean(nfl, f - far, f - near);
    nflRight = bandMean(nfl, f + near + 1, f + far + 1);
  }
  const disc = discSide(b.top[RPE]!, nfl, f, width, near, Math.round(px(DISC_GAP_UM, DISC_GAP_SHARE)), nflLeft, nflRight);

  let nflSide: ImageSide | null = null;
  let contrast = 0;
  if (nflLeft !== null && nflRight !== null) {
    const hi = Math.max(nflLeft, nflRight);
    contrast = hi > 0 ? Math.abs(nflLeft - nflRight) / hi : 0;
    if (contrast >= MIN_CONTRAST && Math.abs(nflLeft - nflRight) >= MIN_DIFFERENCE_PX) nflSide = nflLeft > nflRight ? 'left' : 'right';
  }
  if (nflSide === null && disc === null) return null;
  if (nflSide !== null && disc !== null && nflSide !== disc) return null;
  // contrast 0.2 (the floor) -> 0, 0.7 and more -> 1; a disc alone is moderate evidence, agreeing it adds
  const nflConfidence = nflSide === null ? 0 : Math.min(1, (contrast - MIN_CONTRAST) / 0.5);
  const confidence = disc === null ? nflConfidence : nflSide === null ? 0.5 : Math.min(1, nflConfidence + 0.3);
  return {
    nasalSide: (nflSide ?? disc)!,
    confidence: round(Math.max(0.05, confidence), 3),
    evidence: { nflLeft: round(nflLeft ?? 0, 3), nflRight: round(nflRight ?? 0, 3), contrast: round(contrast, 3), disc },
  };
}

/** Mean of the non-null values in columns [a, b), or null when under half of them hold retina. */
function bandMean(values: readonly (number | null)[], a: number, b: number): number | null {
  let sum = 0;
  let k = 0;
  for (let x = Math.max(0, a); x < Math.min(values.length, b); x++) {
    const v = values[x];
    if (v === null || v === undefined) continue;
    sum += v;
    k++;
  }
  return k === 0 || k < (b - a) * MIN_BAND_COVERAGE ? null : sum / k;
}

/**
 * The side whose outer part (beyond the near band edge) has the RPE missing over a run of at least
 * `minGap` columns with a thick NFL just before it on the fovea's side: the disc margin. Null when no
 * side, or both, have one.
 */
function discSide(
  rpeTop: Int32Array,
  nfl: readonly (number | null)[],
  f: number,
  width: number,
  near: number,
  minGap: number,
  nflLeft: number | null,
  nflRight: number | null,
): ImageSide | null {
  const found: ImageSide[] = [];
  for (const side of ['left', 'right'] as const) {
    const dir = side === 'right' ? 1 : -1;
    const other = side === 'right' ? nflLeft : nflRight;
    let run = 0;
    for (let x = f + dir * near; x >= 0 && x < width; x += dir) {
      if (rpeTop[x]! >= 0) { run = 0; continue; }
      run++;
      if (run < minGap) continue;
      // the disc margin: where the gap starts, seen from the fovea
      const margin = x - dir * (run - 1);
      const a = side === 'right' ? margin - minGap : margin + 1;
      const before = bandMean(nfl, a, a + minGap);
      const thick = before !== null && (other !== null && other > 0 ? before >= DISC_NFL_RATIO * other : before > 0);
      if (thick) found.push(side);
      break;
    }
  }
  return found.length === 1 ? found[0]! : null;
}
