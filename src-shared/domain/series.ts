import type { BscanGeometry, FormatId, PairingReport, SeriesKind } from '../formats/types';

/**
 * A catalog scan as a series of B-scans (issue 16): a plain image is a 'single' series of one B-scan;
 * a vendor file gives its kind, every B-scan's position on the localizer, the localizer itself and the
 * device's own layer boundaries. Crosses the IPC boundary as plain data.
 */
export type { BscanGeometry, SeriesKind };

/** How a kind is named to people: "volume of 145 B-scans", "line scan", "single image". */
export function describeSeriesKind(kind: SeriesKind, bscanCount: number): string {
  switch (kind) {
    case 'single':
      return 'single image';
    case 'line':
      return bscanCount > 1 ? `line scan, ${bscanCount} B-scans` : 'line scan';
    case 'circle':
      return bscanCount > 1 ? `circle scan, ${bscanCount} B-scans` : 'circle scan';
    case 'radial':
      return `radial scan of ${bscanCount} B-scans`;
    case 'volume':
      return `volume of ${bscanCount} B-scans`;
  }
}

export interface BscanRecord {
  index: number;
  width: number;
  height: number;
  /** Where it lies on the localizer (mm from its top-left corner); null when the file does not say. */
  geometry: BscanGeometry | null;
  /** The device's quality figure, in its own units; null when none. */
  quality: number | null;
}

export interface LocalizerRecord {
  width: number;
  height: number;
  /** mm per localizer pixel, from the file; null when the file does not say. */
  scaleXMm: number | null;
  scaleYMm: number | null;
  modality: string | null;
  /** False when the file describes the localizer but its image is missing (then `missing` says why). */
  stored: boolean;
  missing: string | null;
}

/** What the file said beyond the scan row's columns (scans.series_json). */
export interface SeriesFileFacts {
  formatLabel: string;
  version: string | null;
  /** Spacing between neighbouring B-scans, µm; null for one B-scan or when the file does not say. */
  betweenBscansUm: number | null;
  /** Which field each scale number came from ('VOL header scale_x'). */
  scaleSources: { axial?: string; lateral?: string; betweenBscans?: string };
  /** How a multi-file export's files were paired (Heidelberg XML). */
  pairing: Pick<PairingReport, 'rule' | 'detail'> | null;
  notes: string[];
}

/** The device's own boundaries of a series, as one segmentation of kind 'device' (stored per B-scan). */
export interface DeviceSegmentationInfo {
  kind: 'device';
  /** "Heidelberg Engineering Spectralis (file)": the device and where the lines came from. */
  name: string;
  /** The reader's description of where in the file they are ('Heidelberg VOL segmentation lines'). */
  source: string;
  /** The device's names for its boundaries ('ILM', 'BM', ...), those with at least one value. */
  boundaryNames: string[];
  /** B-scans that carry device boundaries. */
  bscanCount: number;
}

export interface SeriesRecord {
  scanId: number;
  kind: SeriesKind;
  bscanCount: number;
  /** The vendor format; null for a plain image file. */
  format: FormatId | null;
  file: SeriesFileFacts | null;
  bscans: BscanRecord[];
  localizer: LocalizerRecord | null;
  deviceSegmentation: DeviceSegmentationInfo | null;
}

/** One B-scan's device boundaries: rows from the top edge per A-scan, null where the device marked none. */
export interface DeviceBoundaryLines {
  scanId: number;
  bscanIndex: number;
  name: string;
  width: number;
  lines: { name: string; rows: (number | null)[] }[];
}

/** The name of the device segmentation of a file: its device (else its format) and "(file)". */
export function deviceSegmentationName(device: string | null, formatLabel: string): string {
  return `${device ?? formatLabel} (file)`;
}

/** Where a B-scan lies, in words: "(0.00, 4.54) → (9.08, 4.54) mm" or "centre (4.5, 4.5) mm, radius 1.75 mm". */
export function describeGeometry(g: BscanGeometry | null): string {
  if (!g) return 'position unknown';
  const p = (x: number, y: number) => `(${x.toFixed(2)}, ${y.toFixed(2)})`;
  return g.type === 'line'
    ? `${p(g.start.x, g.start.y)} → ${p(g.end.x, g.end.y)} mm`
    : `centre ${p(g.centre.x, g.centre.y)} mm, radius ${g.radius.toFixed(2)} mm`;
}

/** One file an import takes (or, in a dry run, would take): what it is and how many B-scans it holds. */
export interface ImportFileEntry {
  path: string;
  /** 'Heidelberg VOL', 'Heidelberg XML export', ... for a vendor file; 'JPEG', 'PNG', ... for an image. */
  format: string;
  kind: SeriesKind;
  bscanCount: number;
  /** How a multi-file export's files were paired (Heidelberg XML): the rule and what it paired. */
  pairing: { rule: string; detail: string } | null;
  /** The scan it became (a real import only). */
  scanId?: number;
}
