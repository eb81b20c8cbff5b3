/**
 * The series part of `stratum show --scan ID` (issue 16): kind, B-scan count and geometry, the scale
 * with its provenance, the eye with its source, the localizer, and the segmentations by kind, the
 * device's own with its boundary names, with the difference per boundary where both exist.
 */
import { deviceDifference } from '../../src-shared/analysis/device-difference';
import { eyeOfRecord } from '../../src-shared/domain/catalog';
import { segmentationName } from '../../src-shared/domain/review';
import { countOf } from '../../src-shared/domain/wording';
import { describeGeometry, describeSeriesKind } from '../../src-shared/domain/series';
import { decodeLabelMap } from '../services/catalog/label-map-png';
import { SeriesRepo } from '../services/catalog/series';
import type { ReadServices } from './catalog-access';

type Repos = Pick<ReadServices, 'db' | 'scans' | 'segmentations'>;

export interface SeriesSegmentationLine {
  kind: 'model' | 'manual' | 'device';
  name: string;
  /** B-scans it covers. */
  bscans: number;
  /** The device's boundary names (kind 'device'). */
  boundaryNames?: string[];
  source?: string;
}

/** The device's lines against each B-scan's current Stratum segmentation, per boundary, over every B-scan that has both. */
export interface DeviceComparison {
  name: string;
  stratum: string;
  bscans: number;
  columns: number;
  meanAbsUm: number | null;
  meanAbsPx: number | null;
}

export async function seriesRecordOf(s: Repos, scanId: number) {
  const scan = s.scans.require(scanId);
  const series = new SeriesRepo(s.db).get(scanId);
  const stored = s.segmentations.forScan(scanId);
  const byName = new Map<string, SeriesSegmentationLine>();
  for (const seg of stored) {
    const name = segmentationName(seg);
    const line = byName.get(name) ?? { kind: seg.kind, name, bscans: 0 };
    line.bscans++;
    byName.set(name, line);
  }
  const device = series.deviceSegmentation;
  const segmentations: SeriesSegmentationLine[] = [
    ...(device ? [{ kind: 'device' as const, name: device.name, source: device.source, boundaryNames: device.boundaryNames, bscans: device.bscanCount }] : []),
    ...byName.values(),
  ];
  return {
    kind: series.kind,
    description: describeSeriesKind(series.kind, series.bscanCount),
    bscanCount: series.bscanCount,
    format: series.format,
    file: series.file,
    bscanSize: { width: scan.width, height: scan.height },
    bscans: series.bscans.map((b) => ({ index: b.index, geometry: b.geometry, position: describeGeometry(b.geometry), quality: b.quality })),
    scale: {
      axialUmPerPx: scan.axialUmPerPx,
      lateralUmPerPx: scan.lateralUmPerPx,
      betweenBscansUm: series.file?.betweenBscansUm ?? null,
      provenance: scan.scaleProvenance,
      source: scan.scaleSource,
    },
    eye: eyeOfRecord(scan),
    localizer: series.localizer,
    segmentations,
    deviceDifference: device ? await compareWithDevice(s, new SeriesRepo(s.db), scanId) : [],
  };
}

async function compareWithDevice(s: Repos, series: SeriesRepo, scanId: number): Promise<DeviceComparison[]> {
  const scan = s.scans.require(scanId);
  const sums = new Map<string, { stratum: string; bscans: number; columns: number; absPx: number }>();
  for (const index of series.bscanIndices(scanId)) {
    const lines = series.deviceLines(scanId, index);
    const seg = lines ? s.segmentations.currentSegmentation(scanId, index) : null;
    if (!lines || !seg) continue;
    const labels = await decodeLabelMap(seg.labelMapPng, scan.width, scan.height);
    for (const d of deviceDifference(lines.lines, labels, scan.width, scan.height, null)) {
      const sum = sums.get(d.name) ?? { stratum: d.stratum, bscans: 0, columns: 0, absPx: 0 };
      sum.bscans++;
      sum.columns += d.columns;
      sum.absPx += (d.meanAbsPx ?? 0) * d.columns;
      sums.set(d.name, sum);
    }
  }
  return [...sums].map(([name, v]) => {
    const px = v.columns ? v.absPx / v.columns : null;
    return {
      name,
      stratum: v.stratum,
      bscans: v.bscans,
      columns: v.columns,
      meanAbsPx: px === null ? null : Math.round(px * 100) / 100,
      meanAbsUm: px === null || scan.axialUmPerPx === null ? null : Math.round(px * scan.axialUmPerPx * 100) / 100,
    };
  });
}

/** The series in lines for `stratum show` without --json. */
export function seriesLines(r: Awaited<ReturnType<typeof seriesRecordOf>>): [string, string][] {
  const lines: [string, string][] = [['series', `${r.description}${r.file ? ` (${r.file.formatLabel}${r.file.version ? ` ${r.file.version}` : ''})` : ''}`]];
  if (r.bscanCount > 1) lines.push(['B-scans', `${r.bscanCount}, first ${r.bscans[0]?.position ?? '-'}, last ${r.bscans.at(-1)?.position ?? '-'}`]);
  else if (r.bscans[0]?.geometry) lines.push(['position', r.bscans[0].position]);
  if (r.scale.betweenBscansUm !== null) lines.push(['spacing', `${r.scale.betweenBscansUm} um between B-scans`]);
  if (r.localizer) lines.push(['localizer', `${r.localizer.width} x ${r.localizer.height}${r.localizer.scaleXMm ? `, ${Number(r.localizer.scaleXMm.toPrecision(4))} mm/px` : ''}${r.localizer.stored ? '' : ` (not stored: ${r.localizer.missing})`}`]);
  if (r.file?.pairing) lines.push(['pairing', `${r.file.pairing.rule}: ${r.file.pairing.detail}`]);
  for (const seg of r.segmentations.filter((g) => g.kind === 'device')) lines.push(['device', `${seg.name}: ${seg.boundaryNames?.join(', ')} on ${countOf(seg.bscans, 'B-scan')}`]);
  for (const d of r.deviceDifference) lines.push(['vs device', `${d.name}: ${d.meanAbsUm ?? d.meanAbsPx} ${d.meanAbsUm === null ? 'px' : 'um'} mean |device - Stratum| (${d.stratum}; ${countOf(d.bscans, 'B-scan')})`]);
  return lines;
}
