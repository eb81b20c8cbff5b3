import { RETINA_FIRST, RETINA_LAST } from '../domain/layers';

/**
 * Where Stratum's layers meet a device's boundary names (Heidelberg's, after eyepy's SEG_MAPPING: ILM the
 * inner limiting membrane, RNFL the NFL/GCL boundary, IPL the IPL/INL, INL the INL/OPL, OPL the OPL/ONL,
 * BM Bruch's membrane). Each boundary is found in one column of a label map, top down:
 * - 'top of retina': the first row of any retinal layer (NFL..RPE; at the fovea NFL and GCL+IPL thin out);
 * - 'top of <layer>': the first row of that layer;
 * - 'below RPE': the row after the RPE's last row (its outer edge, Bruch's membrane).
 * Only boundaries named with confidence are mapped; the device's others are shown, not compared.
 */
export const DEVICE_BOUNDARY_MAP: Readonly<Record<string, { stratum: string; edge: 'top-of-retina' | 'top' | 'below'; layer: number }>> = {
  ILM: { stratum: 'top of NFL (ILM)', edge: 'top-of-retina', layer: RETINA_FIRST },
  RNFL: { stratum: 'NFL / GCL+IPL', edge: 'top', layer: 2 },
  IPL: { stratum: 'GCL+IPL / INL', edge: 'top', layer: 3 },
  INL: { stratum: 'INL / OPL', edge: 'top', layer: 4 },
  OPL: { stratum: 'OPL / ONL', edge: 'top', layer: 5 },
  BM: { stratum: 'below RPE (BM)', edge: 'below', layer: RETINA_LAST },
};

/** The row of one Stratum boundary in every column (null where the map has no such edge). */
export function stratumBoundaryRows(labels: Uint8Array, width: number, height: number, deviceName: string): (number | null)[] | null {
  const m = DEVICE_BOUNDARY_MAP[deviceName];
  if (!m) return null;
  const rows = new Array<number | null>(width).fill(null);
  for (let x = 0; x < width; x++) {
    let last: number | null = null;
    for (let y = 0; y < height; y++) {
      const c = labels[y * width + x] ?? 0;
      if (m.edge === 'top-of-retina' && c >= RETINA_FIRST && c <= RETINA_LAST) { rows[x] = y; break; }
      if (m.edge === 'top' && c === m.layer) { rows[x] = y; break; }
      if (m.edge === 'below' && c === m.layer) last = y;
    }
    if (m.edge === 'below' && last !== null) rows[x] = last + 1;
  }
  return rows;
}

export interface BoundaryDifference {
  /** The device's name for the boundary ('ILM', 'BM'). */
  name: string;
  /** Stratum's boundary it is compared with. */
  stratum: string;
  /** Columns where both have a value. */
  columns: number;
  /** Mean |device - Stratum| over those columns, in pixels and (with a known axial scale) µm; null when none. */
  meanAbsPx: number | null;
  meanAbsUm: number | null;
  /** Mean signed device - Stratum (positive: the device's line lies deeper), µm; null without a scale. */
  meanSignedUm: number | null;
}

/**
 * The difference per boundary between a device's lines and Stratum's segmentation of the same B-scan,
 * for every device boundary Stratum has a counterpart of (DEVICE_BOUNDARY_MAP). Device rows are the
 * device's (null or NaN where it marked none); the label map is Stratum's, row-major.
 */
export function deviceDifference(
  device: readonly { name: string; rows: readonly (number | null)[] }[],
  labels: Uint8Array,
  width: number,
  height: number,
  axialUmPerPx: number | null,
): BoundaryDifference[] {
  const out: BoundaryDifference[] = [];
  for (const line of device) {
    const m = DEVICE_BOUNDARY_MAP[line.name];
    const ours = stratumBoundaryRows(labels, width, height, line.name);
    if (!m || !ours) continue;
    let n = 0;
    let abs = 0;
    let signed = 0;
    for (let x = 0; x < Math.min(width, line.rows.length); x++) {
      const d = line.rows[x];
      const s = ours[x];
      if (d === null || d === undefined || !Number.isFinite(d) || s === null || s === undefined) continue;
      n++;
      abs += Math.abs(d - s);
      signed += d - s;
    }
    const px = n ? abs / n : null;
    out.push({
      name: line.name,
      stratum: m.stratum,
      columns: n,
      meanAbsPx: px === null ? null : round2(px),
      meanAbsUm: px === null || axialUmPerPx === null ? null : round2(px * axialUmPerPx),
      meanSignedUm: n === 0 || axialUmPerPx === null ? null : round2((signed / n) * axialUmPerPx),
    });
  }
  return out;
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

