import type { OctSeries, SeriesScale } from './types';

/**
 * What a series is, as plain data for a dry run, `stratum inspect --json` or a log line. Built field
 * by field from the series, so the patient fields can never be in it.
 */
export interface SeriesSummary {
  format: OctSeries['format'];
  formatLabel: string;
  version: string | null;
  kind: OctSeries['kind'];
  bscanCount: number;
  width: number;
  height: number;
  dimensionsSource: OctSeries['dimensionsSource'];
  scale: SeriesScale;
  eye: OctSeries['eye'];
  acquired: string | null;
  device: string | null;
  protocol: string | null;
  localizer: { width: number; height: number; scaleXMm: number | null; scaleYMm: number | null; modality: string | null; missing: string | null } | null;
  deviceBoundaries: { source: string; names: string[]; bscanCount: number } | null;
  firstBscan: OctSeries['bscanMeta'][number] | null;
  pairing: Pick<NonNullable<OctSeries['pairing']>, 'rule' | 'detail'> | null;
  notes: string[];
}

export function summariseSeries(series: OctSeries): SeriesSummary {
  const l = series.localizer;
  const b = series.deviceBoundaries;
  return {
    format: series.format,
    formatLabel: series.formatLabel,
    version: series.version,
    kind: series.kind,
    bscanCount: series.bscanCount,
    width: series.width,
    height: series.height,
    dimensionsSource: series.dimensionsSource,
    scale: { ...series.scale, sources: { ...series.scale.sources } },
    eye: series.eye ? { ...series.eye } : null,
    acquired: series.acquired,
    device: series.device,
    protocol: series.protocol,
    localizer: l ? { width: l.width, height: l.height, scaleXMm: l.scaleXMm, scaleYMm: l.scaleYMm, modality: l.modality, missing: l.missing ?? null } : null,
    deviceBoundaries: b ? { source: b.source, names: [...b.names], bscanCount: b.bscanCount } : null,
    firstBscan: series.bscanMeta[0] ?? null,
    pairing: series.pairing ? { rule: series.pairing.rule, detail: series.pairing.detail } : null,
    notes: [...series.notes],
  };
}

/** The scale in words: "axial 3.8717 µm/px, lateral 11.8206 µm/px, 30.1 µm between B-scans". */
export function describeScale(scale: SeriesScale): string {
  const parts: string[] = [];
  parts.push(scale.axialUm !== null ? `axial ${scale.axialUm} µm/px` : 'axial unknown');
  parts.push(scale.lateralUm !== null ? `lateral ${scale.lateralUm} µm/px` : 'lateral unknown');
  if (scale.betweenBscansUm !== null) parts.push(`${scale.betweenBscansUm} µm between B-scans`);
  const sources = Object.values(scale.sources);
  return `${parts.join(', ')} (provenance ${scale.provenance}${sources.length ? `: ${sources.join('; ')}` : ''})`;
}
