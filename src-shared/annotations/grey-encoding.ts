import { LAYERS } from '../domain/layers';

/**
 * The original project's grey masks: its notebook gave each class a code and min-max stretched the mask,
 * so with every class present the grey values are these. A mask lacking the brightest class(es) was
 * stretched to other values; we detect that from the set of grey values and refuse when it is ambiguous.
 */
export const SEED_GREY_VALUES: ReadonlyArray<readonly [grey: number, classKey: string]> = [
  [0, 'background'],
  [23, 'OPL'],
  [34, 'RPE'],
  [57, 'GCL+IPL'],
  [104, 'EZ'],
  [150, 'NFL'],
  [173, 'Choroid'],
  [197, 'INL'],
  [255, 'ONL'],
];

function classIndexOf(key: string): number {
  return key === 'background' ? 0 : LAYERS.find((l) => l.key === key)!.index;
}

export type GreyDecode =
  | { ok: true; lut: Uint8Array; brightestClass: number; encoding: string }
  | { ok: false; reason: string };

/**
 * Chooses the grey -> class table for a mask from the grey values it contains. Hypothesis t: the
 * brightest class present is the t-th of the table, so every code was stretched by 255 / grey(t).
 * Exactly one hypothesis must explain all values (within 1 grey level of rounding).
 */
export function detectGreyEncoding(values: ReadonlySet<number>): GreyDecode {
  const nonZero = [...values].filter((v) => v !== 0).sort((a, b) => a - b);
  if (nonZero.length === 0) return { ok: false, reason: 'the mask is all background (0); nothing to decode' };
  if (nonZero[nonZero.length - 1] !== 255) {
    const max = nonZero[nonZero.length - 1]!;
    if (max <= 8) return { ok: false, reason: `grey values ${[...values].sort((a, b) => a - b).join(', ')} look like class indices already, not the stretched grey encoding` };
    return { ok: false, reason: `the brightest grey value is ${max}, not 255: not a min-max stretched mask` };
  }
  const fits: { lut: Uint8Array; t: number; label: string }[] = [];
  for (let t = SEED_GREY_VALUES.length - 1; t >= 1; t--) {
    const top = SEED_GREY_VALUES[t]![0];
    const expected = SEED_GREY_VALUES.slice(0, t + 1).map(([g, key]) => [Math.round((g * 255) / top), classIndexOf(key)] as const);
    const lut = new Uint8Array(256).fill(255);
    let ok = true;
    for (const v of [0, ...nonZero]) {
      const match = expected.filter(([g]) => Math.abs(g - v) <= 1);
      if (match.length !== 1) {
        ok = false;
        break;
      }
      lut[v] = match[0]![1];
    }
    if (ok) fits.push({ lut, t, label: SEED_GREY_VALUES[t]![1] });
  }
  const shown = [...values].sort((a, b) => a - b).join(', ');
  if (fits.length === 0) return { ok: false, reason: `grey values ${shown} match no stretching of the seed encoding (${SEED_GREY_VALUES.map(([g, k]) => `${g} ${k}`).join(', ')})` };
  if (fits.length > 1) {
    return { ok: false, reason: `grey values ${shown} are ambiguous: the brightest class could be ${fits.map((f) => f.label).join(' or ')}` };
  }
  const fit = fits[0]!;
  return {
    ok: true,
    lut: fit.lut,
    brightestClass: classIndexOf(fit.label),
    encoding: fit.t === SEED_GREY_VALUES.length - 1 ? 'seed (all classes' + "' codes, ONL = 255)" : `seed re-stretched (brightest class ${fit.label} = 255)`,
  };
}

/**
 * Class indices of a grey-encoded mask's pixels, through a table from detectGreyEncoding. (Not to be
 * confused with decoding a B-scan image to grey pixels: segmentation-service's decodeGrey.)
 */
export function classesFromGreyMask(grey: Uint8Array, lut: Uint8Array): Uint8Array {
  const out = new Uint8Array(grey.length);
  for (let i = 0; i < grey.length; i++) out[i] = lut[grey[i]!]!;
  return out;
}
