/**
 * The ETDRS table of a volume as rows (CSV: one per scan x source x subfield x layer) and as the JSON
 * that `stratum grid --json` prints, both with the standard code of each value where one exists
 * (standard-codes.ts, docs/ETDRS.md). Numbers are rounded here, once, for every export.
 */
import { round } from '../../../src-shared/analysis/numbers';
import { MAP_DEFINITIONS, MAP_KEYS, type MapKey } from '../../../src-shared/analysis/enface/surfaces';
import { PARTIAL_BELOW_PCT, type GridStats } from '../../../src-shared/analysis/enface/etdrs';
import { codeCell, gridCode, subfieldThicknessCode, type StandardCode } from '../../../src-shared/analysis/enface/standard-codes';
import { DRUSEN_DEFINITION } from '../../../src-shared/analysis/enface/drusen';
import type { VolumeAnalysis } from '../../../src-shared/analysis/enface/volume-analysis';
import { csvRow } from '../../../src-shared/text/csv';
import { primaryAnalysis, type VolumeResult } from './analyse-volume';

export interface GridRow {
  scan: string;
  eye: string;
  /** Where the eye came from (file, manifest, user, marker, anatomy); empty when unknown. */
  eye_source: string;
  /** 'stratum' (its segmentation) or 'device' (the file's lines). */
  source: string;
  /** Which segmentation: "model <id> <version>" or the device's name. */
  segmentation: string;
  layer: string;
  /** C0, S1..T2 (L1/R1.. while the eye is unknown), or 'centre-point' / 'grid' for the whole-grid rows. */
  subfield: string;
  thickness: number | null;
  volume: number | null;
  coverage_pct: number | null;
  partial: boolean | null;
  thickness_unit: 'um';
  volume_unit: 'mm3';
  code: string;
  fovea_x_mm: number;
  fovea_y_mm: number;
  fovea_method: string;
  fovea_confidence: number;
}

export const GRID_COLUMNS: readonly (keyof GridRow)[] = [
  'scan', 'eye', 'eye_source', 'source', 'segmentation', 'layer', 'subfield', 'thickness', 'volume', 'coverage_pct', 'partial',
  'thickness_unit', 'volume_unit', 'code', 'fovea_x_mm', 'fovea_y_mm', 'fovea_method', 'fovea_confidence',
];

const um = (v: number | null) => (v === null ? null : round(v, 1));
const mm3 = (v: number | null) => (v === null ? null : round(v, 4));
const pct = (v: number) => round(v, 1);

function segmentationName(r: VolumeResult, source: 'stratum' | 'device'): string {
  if (source === 'device') return r.source.device?.label ?? 'device';
  return r.segmentation?.segmentations.join('; ') || 'Stratum';
}

/** One row per subfield and map, then the whole grid's central point and total volume per map. */
export function gridRows(r: VolumeResult): GridRow[] {
  const rows: GridRow[] = [];
  for (const a of [r.stratum, r.device]) {
    if (!a) continue;
    const base = {
      scan: r.source.name,
      eye: r.eye,
      eye_source: r.source.eye.source ?? '',
      source: a.source,
      segmentation: segmentationName(r, a.source),
      thickness_unit: 'um' as const,
      volume_unit: 'mm3' as const,
      fovea_x_mm: a.fovea.centreMm.x,
      fovea_y_mm: a.fovea.centreMm.y,
      fovea_method: a.fovea.method,
      fovea_confidence: a.fovea.confidence,
    };
    for (const map of MAP_KEYS) {
      const g = a.grids[map];
      if (!g) continue;
      for (const s of g.subfields) {
        rows.push({ ...base, layer: map, subfield: s.subfield, thickness: um(s.meanUm), volume: mm3(s.volumeMm3), coverage_pct: pct(s.coveragePct), partial: s.partial, code: codeCell(subfieldThicknessCode(map, s.subfield)) });
      }
      rows.push({ ...base, layer: map, subfield: 'centre-point', thickness: um(g.centralPointUm), volume: null, coverage_pct: null, partial: null, code: codeCell(gridCode(map, 'centralPoint')) });
      rows.push({ ...base, layer: map, subfield: 'grid', thickness: um(g.meanUm), volume: mm3(g.totalVolumeMm3), coverage_pct: pct(g.coveragePct), partial: g.partial, code: codeCell(gridCode(map, 'totalVolume')) });
    }
  }
  return rows;
}

/** CSV (RFC 4180 through the one CSV encoder): a header row, then gridRows. Empty cells for no data. */
export function gridCsv(rows: readonly GridRow[]): string {
  return `${[csvRow(GRID_COLUMNS), ...rows.map((r) => csvRow(GRID_COLUMNS.map((c) => r[c])))].join('\n')}\n`;
}

function codeJson(code: StandardCode | null): Record<string, unknown> | null {
  return code ? { system: code.system, code: code.code, display: code.display, verified: code.verified } : null;
}

function gridJson(map: MapKey, g: GridStats): Record<string, unknown> {
  return {
    layer: map,
    label: MAP_DEFINITIONS[map].label,
    centralPointThicknessUm: um(g.centralPointUm),
    centralPointCode: codeJson(gridCode(map, 'centralPoint')),
    meanThicknessUm: um(g.meanUm),
    meanCode: codeJson(gridCode(map, 'mean')),
    totalVolumeMm3: mm3(g.totalVolumeMm3),
    totalVolumeCode: codeJson(gridCode(map, 'totalVolume')),
    coveragePct: pct(g.coveragePct),
    partial: g.partial,
    subfields: g.subfields.map((s) => ({
      subfield: s.subfield,
      imageSide: s.key,
      meanThicknessUm: um(s.meanUm),
      volumeMm3: mm3(s.volumeMm3),
      coveragePct: pct(s.coveragePct),
      partial: s.partial,
      areaMm2: round(s.areaMm2, 4),
      code: codeJson(subfieldThicknessCode(map, s.subfield)),
    })),
  };
}

function analysisJson(r: VolumeResult, a: VolumeAnalysis): Record<string, unknown> {
  return {
    source: a.source,
    segmentation: segmentationName(r, a.source),
    layers: MAP_KEYS.filter((k) => a.grids[k]).map((k) => gridJson(k, a.grids[k]!)),
    drusen: a.drusen
      ? {
          normalRpeUm: um(a.drusen.normalRpeUm),
          normalFrom: a.drusen.normalFrom,
          minElevationUm: um(a.drusen.minElevationUm),
          circles: a.drusen.circles.map((c) => ({ diameterMm: c.diameterMm, areaMm2: mm3(c.areaMm2), volumeMm3: mm3(c.volumeMm3), coveragePct: pct(c.coveragePct) })),
        }
      : null,
  };
}

/** What `stratum grid --json` prints: the grid from Stratum's and from the device's segmentation, their difference, the definitions. */
export function gridReportJson(r: VolumeResult): Record<string, unknown> {
  const fovea = (r.stratum || r.device ? primaryAnalysis(r).fovea : null);
  return {
    scan: r.source.name,
    eye: r.source.eye,
    acquisition: r.source.facts,
    scale: { axialUmPerPx: r.source.scale.axialUmPerPx, lateralUmPerPx: r.source.scale.lateralUmPerPx, provenance: r.source.scale.provenance, source: r.source.scale.source ?? null },
    grid: { diametersMm: [1, 3, 6], partialBelowPct: PARTIAL_BELOW_PCT, coordinates: 'mm on the localizer from its top-left corner, x right, y down (superior up)' },
    fovea,
    segmentation: r.segmentation ? { ...r.segmentation, milliseconds: r.segmentation.milliseconds } : null,
    stratum: r.stratum ? analysisJson(r, r.stratum) : null,
    device: r.device ? analysisJson(r, r.device) : null,
    comparison: r.comparison?.map((c) => ({
      layer: c.map,
      centralPoint: { stratumUm: um(c.centralPoint.stratumUm), deviceUm: um(c.centralPoint.deviceUm), differenceUm: um(c.centralPoint.differenceUm) },
      totalVolume: { stratumMm3: mm3(c.totalVolume.stratumMm3), deviceMm3: mm3(c.totalVolume.deviceMm3), differenceMm3: mm3(c.totalVolume.differenceMm3) },
      subfields: c.subfields.map((s) => ({ subfield: s.subfield, stratumUm: um(s.stratumUm), deviceUm: um(s.deviceUm), differenceUm: um(s.differenceUm), partial: s.partial })),
    })) ?? null,
    definitions: {
      thickness: 'mean over the part of the subfield with data; volume = mean x subfield area x coverage (the covered part only; HEYEX multiplies by the full area)',
      coverage: '% of the subfield area with data (HEYEX ValidPixelPercentage)',
      layers: Object.fromEntries(MAP_KEYS.map((k) => [k, `${MAP_DEFINITIONS[k].top} to ${MAP_DEFINITIONS[k].bottom}`])),
      drusen: DRUSEN_DEFINITION,
      difference: 'Stratum minus device, µm',
    },
  };
}
