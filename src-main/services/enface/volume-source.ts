/**
 * What the volume analytics read, whether the volume is a vendor file opened from disk (OctSeries) or
 * a catalog scan (catalog-volume-source.ts): its B-scans and their lines on the localizer, the scale,
 * the eye, the device's own boundaries, and Stratum's stored segmentation where the catalog has one.
 */
import { AppError } from '../../../src-shared/contract';
import type { BscanGeometry, GreyImage, OctSeries, SeriesKind } from '../../../src-shared/formats/types';
import type { BscanLine } from '../../../src-shared/analysis/enface/raster-geometry';
import type { EyeAssessment } from '../../../src-shared/domain/laterality';
import type { QualityFlags, ScanScale } from '../../../src-shared/domain/segmentation';

export interface VolumeFacts {
  format: string | null;
  device: string | null;
  protocol: string | null;
  /** ISO date(-time) of acquisition, or null. */
  acquired: string | null;
}

export interface StoredBscanSegmentation {
  labels: Uint8Array;
  width: number;
  height: number;
  /** "model <id> <version>" or "corrected by <who>". */
  name: string;
  model: { id: string; version: string } | null;
  /** The segmentation's quality flags (null for one stored without a summary). */
  flags: QualityFlags | null;
}

export interface VolumeSource {
  /** How messages name it: the file's name, or "scan 12". */
  name: string;
  kind: SeriesKind;
  bscanCount: number;
  width: number;
  height: number;
  geometry: readonly (BscanGeometry | null)[];
  scale: ScanScale;
  eye: EyeAssessment;
  facts: VolumeFacts;
  bscan(index: number): Promise<GreyImage>;
  /** The device's boundaries (its own line names), or null when the volume has none. */
  device: { label: string; names: readonly string[]; read(index: number): Promise<Record<string, Float32Array> | null> } | null;
  /** Stratum's current segmentation of a B-scan where one is stored (catalog); absent for a bare file. */
  stored?: (index: number) => Promise<StoredBscanSegmentation | null>;
  localizer: { width: number; height: number; scaleXMm: number | null; scaleYMm: number | null; read(): Promise<GreyImage> } | null;
}

/** A vendor file's series as a volume source (the caller keeps the file open while it is used). */
export function sourceFromSeries(series: OctSeries, name: string): VolumeSource {
  const { axialUm, lateralUm, provenance, sources } = series.scale;
  const db = series.deviceBoundaries;
  const loc = series.localizer;
  return {
    name,
    kind: series.kind,
    bscanCount: series.bscanCount,
    width: series.width,
    height: series.height,
    geometry: series.bscanMeta.map((m) => m.geometry),
    scale: {
      axialUmPerPx: axialUm,
      lateralUmPerPx: lateralUm,
      provenance: provenance === 'unknown' ? 'unknown' : 'file',
      source: [sources.axial, sources.lateral].filter(Boolean).join('; ') || 'file',
    },
    eye: series.eye ? { value: series.eye.value, source: 'file', confidence: 1 } : { value: 'unknown', source: null, confidence: null },
    facts: { format: series.formatLabel, device: series.device, protocol: series.protocol, acquired: series.acquired },
    bscan: (i) => series.bscan(i),
    device: db ? { label: `${series.device ?? series.formatLabel} (${db.source})`, names: db.names, read: async (i) => (i < db.bscanCount ? db.read(i) : null) } : null,
    localizer: loc && !loc.missing ? { width: loc.width, height: loc.height, scaleXMm: loc.scaleXMm, scaleYMm: loc.scaleYMm, read: () => loc.read() } : null,
  };
}

/** Each B-scan's line; a BAD_INPUT naming the volume when it is no raster or lacks positions. */
export function volumeLines(source: VolumeSource): BscanLine[] {
  if (source.kind !== 'volume') {
    throw new AppError('BAD_INPUT', `${source.name}: a ${source.kind} scan of ${source.bscanCount} B-scan(s) has no en-face map; maps need a volume (raster) scan`, { kind: source.kind });
  }
  return source.geometry.map((g, i) => {
    if (!g || g.type !== 'line') {
      throw new AppError('BAD_INPUT', `${source.name}: B-scan ${i} has ${g ? 'a circle' : 'no'} position on the localizer; maps need each B-scan's start and end`, { bscan: i });
    }
    return { start: g.start, end: g.end, width: source.width };
  });
}

/** The axial scale in µm/px, or a BAD_INPUT saying the volume does not state it (thickness in µm needs it). */
export function axialUmOf(source: VolumeSource): number {
  const axial = source.scale.axialUmPerPx;
  if (axial === null || !(axial > 0) || source.scale.provenance === 'unknown') {
    throw new AppError('BAD_INPUT', `${source.name}: no axial scale (µm per pixel) is known; thickness maps need it`);
  }
  return axial;
}
