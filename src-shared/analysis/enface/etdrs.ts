/**
 * The ETDRS grid: circles of 1, 3 and 6 mm centred on the fovea; the centre C0, then the inner ring
 * S1/N1/I1/T1 and the outer ring S2/N2/I2/T2. Per subfield and map: mean thickness, volume and
 * coverage (the share of the subfield's area that holds data, as HEYEX's ValidPixelPercentage).
 *
 * Subfields are keyed by the side of the localizer image they lie on (L/R), and named nasal/temporal
 * only for a known eye: nasal on the side domain/laterality.ts puts it (OD: image right), so OS is
 * OD mirrored. With the eye unknown the names stay L1/R1/L2/R2, never N or T.
 */
import type { PointMm } from '../../formats/types';
import { nasalSideOf, type Laterality } from '../../domain/laterality';
import { latticeAround, valueAt, type EnfaceValues } from './enface-map';

export const ETDRS_DIAMETERS_MM = [1, 3, 6] as const;
/** Under this coverage (%) a subfield is partial: shown as such, never as a plain number. */
export const PARTIAL_BELOW_PCT = 80;

/** Image-side keys: S is up on the localizer (superior), I down, L/R the image's left and right. */
export const SUBFIELD_KEYS = ['C0', 'S1', 'R1', 'I1', 'L1', 'S2', 'R2', 'I2', 'L2'] as const;
export type SubfieldKey = (typeof SUBFIELD_KEYS)[number];
export type SubfieldName = 'C0' | 'S1' | 'N1' | 'I1' | 'T1' | 'S2' | 'N2' | 'I2' | 'T2' | 'L1' | 'R1' | 'L2' | 'R2';

/** The order tables list subfields in: C0, S1, N1, I1, T1, S2, N2, I2, T2 (image sides for an unknown eye: S, R, I, L). */
export function subfieldOrder(eye: Laterality): SubfieldKey[] {
  if (eye === 'unknown') return [...SUBFIELD_KEYS];
  const n = nasalSideOf(eye) === 'right' ? 'R' : 'L';
  const t = n === 'R' ? 'L' : 'R';
  return ['C0', 'S1', `${n}1`, 'I1', `${t}1`, 'S2', `${n}2`, 'I2', `${t}2`] as SubfieldKey[];
}

/** A subfield's name for an eye: N/T for a known eye (OS mirrored), the image side while it is unknown. */
export function subfieldName(key: SubfieldKey, eye: Laterality): SubfieldName {
  const side = key[0];
  if (eye === 'unknown' || (side !== 'L' && side !== 'R')) return key;
  const nasal = nasalSideOf(eye) === (side === 'R' ? 'right' : 'left');
  return `${nasal ? 'N' : 'T'}${key[1]}` as SubfieldName;
}

/** The subfield a point `d` mm from the grid centre lies in (x right, y down), or null outside the 6 mm circle. */
export function subfieldAt(dx: number, dy: number): SubfieldKey | null {
  const r = Math.sqrt(dx * dx + dy * dy);
  const [d0, d1, d2] = ETDRS_DIAMETERS_MM;
  if (r <= d0 / 2) return 'C0';
  if (r > d2 / 2) return null;
  const ring = r <= d1 / 2 ? '1' : '2';
  // diagonals go to the horizontal subfields, mirror-symmetrically
  const side = Math.abs(dy) > Math.abs(dx) ? (dy < 0 ? 'S' : 'I') : dx >= 0 ? 'R' : 'L';
  return `${side}${ring}` as SubfieldKey;
}

/** A subfield's exact area in mm² (C0 a disc, each ring subfield a quarter annulus). */
export function subfieldAreaMm2(key: SubfieldKey): number {
  const [d0, d1, d2] = ETDRS_DIAMETERS_MM.map((d) => d / 2) as [number, number, number];
  if (key === 'C0') return Math.PI * d0 * d0;
  return key.endsWith('1') ? (Math.PI * (d1 * d1 - d0 * d0)) / 4 : (Math.PI * (d2 * d2 - d1 * d1)) / 4;
}

export interface SubfieldStats {
  key: SubfieldKey;
  subfield: SubfieldName;
  areaMm2: number;
  /** Mean over the part of the subfield with data (µm); null with no data. */
  meanUm: number | null;
  /** Volume of the part with data: mean x area x coverage (mm³); null with no data. */
  volumeMm3: number | null;
  /** % of the subfield's area holding data. */
  coveragePct: number;
  partial: boolean;
}

export interface GridStats {
  subfields: SubfieldStats[];
  /** The map's value at the grid centre (µm), null without data there. */
  centralPointUm: number | null;
  /** Sum of the subfields' volumes (the covered part of the 6 mm disc), mm³; null when no subfield has data. */
  totalVolumeMm3: number | null;
  /** % of the 6 mm disc holding data. */
  coveragePct: number;
  /** Mean over the part of the 6 mm disc with data (µm); null without data. */
  meanUm: number | null;
  /** True when any subfield is partial. */
  partial: boolean;
}

/**
 * A map's ETDRS statistics around `centre`. The subfields are sampled on the map's own lattice, extended
 * past the map's edges (points outside it count as area without data), so coverage is exactly 100 %
 * for a fully scanned subfield and falls with the part that lies outside the scan. The volume is the
 * covered part's: mean x exact area x coverage (HEYEX instead multiplies the mean by the full area).
 */
export function gridStats(map: EnfaceValues, centre: PointMm, eye: Laterality): GridStats {
  const { grid, values } = map;
  const lattice = subfieldLattice(map, centre);
  const n = SUBFIELD_KEYS.length;
  const total = new Float64Array(n);
  const withData = new Float64Array(n);
  const sum = new Float64Array(n);
  const { cMin, cMax, rMin, rMax, index } = lattice;
  const w = cMax - cMin + 1;
  for (let r = rMin; r <= rMax; r++) {
    const inRows = r >= 0 && r < grid.rows;
    for (let c = cMin; c <= cMax; c++) {
      const k = index[(r - rMin) * w + (c - cMin)]!;
      if (k < 0) continue;
      total[k]!++;
      if (!inRows || c < 0 || c >= grid.cols) continue;
      const v = values[r * grid.cols + c]!;
      if (Number.isNaN(v)) continue;
      withData[k]!++;
      sum[k]! += v;
    }
  }
  const subfields = subfieldOrder(eye).map((key): SubfieldStats => {
    const i = SUBFIELD_KEYS.indexOf(key);
    const k = withData[i]!;
    const s = sum[i]!;
    const areaMm2 = subfieldAreaMm2(key);
    const coverage = total[i]! ? k / total[i]! : 0;
    return {
      key,
      subfield: subfieldName(key, eye),
      areaMm2,
      meanUm: k ? s / k : null,
      // µm x mm² = 1e-3 mm³
      volumeMm3: k ? ((s / k) * areaMm2 * coverage) / 1000 : null,
      coveragePct: coverage * 100,
      partial: coverage * 100 < PARTIAL_BELOW_PCT,
    };
  });
  const volumes = subfields.map((s) => s.volumeMm3).filter((v): v is number => v !== null);
  const area = subfields.reduce((a, s) => a + s.areaMm2, 0);
  const cp = valueAt(map, centre);
  const allData = withData.reduce((a, v) => a + v, 0);
  return {
    subfields,
    centralPointUm: Number.isNaN(cp) ? null : cp,
    totalVolumeMm3: volumes.length ? volumes.reduce((a, v) => a + v, 0) : null,
    coveragePct: subfields.reduce((a, s) => a + (s.coveragePct * s.areaMm2) / area, 0),
    meanUm: allData ? sum.reduce((a, v) => a + v, 0) / allData : null,
    partial: subfields.some((s) => s.partial),
  };
}

interface SubfieldLattice {
  cMin: number;
  cMax: number;
  rMin: number;
  rMax: number;
  /** Per lattice point of the box, row-major: its index in SUBFIELD_KEYS, -1 outside the 6 mm circle. */
  index: Int8Array;
}

/** Every map of a volume shares grid and centre: the subfield of each lattice point is worked out once. */
const latticeCache = new WeakMap<object, { x: number; y: number; lattice: SubfieldLattice }>();

function subfieldLattice(map: EnfaceValues, centre: PointMm): SubfieldLattice {
  const cached = latticeCache.get(map.grid);
  if (cached && cached.x === centre.x && cached.y === centre.y) return cached.lattice;
  const [dx, dy] = map.grid.spacingMm;
  const { cc, rc, cMin, cMax, rMin, rMax } = latticeAround(map.grid, centre, ETDRS_DIAMETERS_MM[2] / 2);
  const w = cMax - cMin + 1;
  const index = new Int8Array(w * (rMax - rMin + 1));
  for (let r = rMin; r <= rMax; r++) {
    const py = (r - rc) * dy;
    for (let c = cMin; c <= cMax; c++) {
      const key = subfieldAt((c - cc) * dx, py);
      index[(r - rMin) * w + (c - cMin)] = key ? SUBFIELD_KEYS.indexOf(key) : -1;
    }
  }
  const lattice = { cMin, cMax, rMin, rMax, index };
  latticeCache.set(map.grid, { x: centre.x, y: centre.y, lattice });
  return lattice;
}
