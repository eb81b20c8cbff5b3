/**
 * Stratum's segmentation against the device's: per ETDRS subfield the difference of the means
 * (Stratum minus device) for every map both have. On one B-scan, the distance between the boundaries
 * both drew is analysis/device-difference.ts's (one rule for the viewer, the CLI and the reports).
 */
import type { SubfieldKey, SubfieldName } from './etdrs';
import type { VolumeAnalysis } from './volume-analysis';
import { MAP_KEYS, type MapKey } from './surfaces';

export interface SubfieldDifference {
  key: SubfieldKey;
  subfield: SubfieldName;
  stratumUm: number | null;
  deviceUm: number | null;
  /** Stratum minus device (µm); null when either has no data. */
  differenceUm: number | null;
  /** Either side is partial (under 80 % coverage). */
  partial: boolean;
}

export interface GridComparison {
  map: MapKey;
  subfields: SubfieldDifference[];
  centralPoint: { stratumUm: number | null; deviceUm: number | null; differenceUm: number | null };
  totalVolume: { stratumMm3: number | null; deviceMm3: number | null; differenceMm3: number | null };
}

const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);

/** Per map both analyses hold (total retina first), Stratum minus device per subfield; the analyses must share grid centre and eye. */
export function compareGrids(stratum: VolumeAnalysis, device: VolumeAnalysis): GridComparison[] {
  const out: GridComparison[] = [];
  for (const map of MAP_KEYS) {
    const s = stratum.grids[map];
    const d = device.grids[map];
    if (!s || !d) continue;
    out.push({
      map,
      subfields: s.subfields.map((sf) => {
        const df = d.subfields.find((x) => x.key === sf.key)!;
        return { key: sf.key, subfield: sf.subfield, stratumUm: sf.meanUm, deviceUm: df.meanUm, differenceUm: diff(sf.meanUm, df.meanUm), partial: sf.partial || df.partial };
      }),
      centralPoint: { stratumUm: s.centralPointUm, deviceUm: d.centralPointUm, differenceUm: diff(s.centralPointUm, d.centralPointUm) },
      totalVolume: { stratumMm3: s.totalVolumeMm3, deviceMm3: d.totalVolumeMm3, differenceMm3: diff(s.totalVolumeMm3, d.totalVolumeMm3) },
    });
  }
  return out;
}
