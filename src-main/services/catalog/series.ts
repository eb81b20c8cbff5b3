import { AppError } from '../../../src-shared/contract';
import type { BscanGeometry, FormatId, SeriesKind } from '../../../src-shared/formats/types';
import type {
  BscanRecord,
  DeviceBoundaryLines,
  DeviceSegmentationInfo,
  LocalizerRecord,
  SeriesFileFacts,
  SeriesRecord,
} from '../../../src-shared/domain/series';
import type { CatalogDb } from './database';

/** One B-scan as import stores it: its image in the library and where it lies. */
export interface NewBscan {
  index: number;
  storedFile: string;
  sha256: string;
  width: number;
  height: number;
  geometry: BscanGeometry | null;
  quality: number | null;
}

export interface NewLocalizer extends Omit<LocalizerRecord, 'stored'> {
  /** The localizer's image in the library; null when the file describes it but it cannot be read. */
  storedFile: string | null;
}

/** The device's boundaries of one B-scan: one Float32Array per boundary (rows, NaN where none). */
export interface NewDeviceBoundaries {
  bscanIndex: number;
  lines: Record<string, Float32Array>;
}

export interface NewSeries {
  scanId: number;
  kind: SeriesKind;
  format: FormatId;
  file: SeriesFileFacts;
  bscans: NewBscan[];
  localizer: NewLocalizer | null;
  device: { name: string; source: string; width: number; perBscan: NewDeviceBoundaries[] } | null;
}

interface BscanRow {
  idx: number;
  stored_file: string;
  width: number;
  height: number;
  geometry: 'line' | 'circle' | null;
  start_x_mm: number | null;
  start_y_mm: number | null;
  end_x_mm: number | null;
  end_y_mm: number | null;
  centre_x_mm: number | null;
  centre_y_mm: number | null;
  radius_mm: number | null;
  quality: number | null;
}

interface DeviceRow {
  bscan_index: number;
  name: string;
  source: string;
  boundary_names: string;
  width: number;
  boundaries: Buffer;
}

/**
 * The series side of a scan (migration 5): its B-scans, localizer and device boundaries. Import writes a
 * vendor file's series inside the transaction that inserts its scan row; a plain image gets its one
 * B-scan from the scans_first_bscan trigger.
 */
export class SeriesRepo {
  constructor(private readonly db: CatalogDb) {}

  /** Writes a series for a scan row just inserted (inside the caller's transaction). */
  insert(series: NewSeries): void {
    const { db } = this;
    if (series.bscans.length === 0) throw new AppError('VALIDATION', `Scan ${series.scanId}: a series needs at least one B-scan`);
    db.prepare('UPDATE scans SET kind = ?, bscan_count = ?, format = ?, series_json = ? WHERE id = ?').run(
      series.kind, series.bscans.length, series.format, JSON.stringify(series.file), series.scanId,
    );
    const bscan = db.prepare(
      `INSERT OR REPLACE INTO bscans (scan_id, idx, stored_file, sha256, width, height, geometry, start_x_mm, start_y_mm, end_x_mm, end_y_mm,
         centre_x_mm, centre_y_mm, radius_mm, quality) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const b of series.bscans) {
      const g = b.geometry;
      const start = g?.start ?? null;
      const end = g?.type === 'line' ? g.end : null;
      const centre = g?.type === 'circle' ? g.centre : null;
      bscan.run(
        series.scanId, b.index, b.storedFile, b.sha256, b.width, b.height, g?.type ?? null, finite(start?.x), finite(start?.y), finite(end?.x), finite(end?.y),
        finite(centre?.x), finite(centre?.y), g?.type === 'circle' ? finite(g.radius) : null, finite(b.quality),
      );
    }
    const l = series.localizer;
    if (l) {
      db.prepare('INSERT OR REPLACE INTO localizers (scan_id, stored_file, width, height, scale_x_mm, scale_y_mm, modality, missing) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
        series.scanId, l.storedFile, l.width, l.height, finite(l.scaleXMm), finite(l.scaleYMm), l.modality, l.missing,
      );
    }
    const d = series.device;
    if (d) {
      const row = db.prepare(
        'INSERT OR REPLACE INTO device_segmentations (scan_id, bscan_index, name, source, boundary_names, width, boundaries, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      );
      const now = new Date().toISOString();
      for (const b of d.perBscan) {
        const names = Object.keys(b.lines);
        row.run(series.scanId, b.bscanIndex, d.name, d.source, JSON.stringify(names), d.width, packLines(names.map((n) => b.lines[n]!), d.width), now);
      }
    }
  }

  /** The series of a scan (every scan has one: a plain image is a single series). NOT_FOUND when no such scan. */
  get(scanId: number): SeriesRecord {
    const scan = this.db.prepare('SELECT kind, bscan_count, format, series_json FROM scans WHERE id = ?').get(scanId) as
      | { kind: SeriesKind; bscan_count: number; format: FormatId | null; series_json: string | null }
      | undefined;
    if (!scan) throw new AppError('NOT_FOUND', `No scan with id ${scanId}`, { scanId });
    const bscans = (this.db.prepare('SELECT * FROM bscans WHERE scan_id = ? ORDER BY idx').all(scanId) as BscanRow[]).map(toBscan);
    const l = this.db.prepare('SELECT * FROM localizers WHERE scan_id = ?').get(scanId) as
      | { stored_file: string | null; width: number; height: number; scale_x_mm: number | null; scale_y_mm: number | null; modality: string | null; missing: string | null }
      | undefined;
    return {
      scanId,
      kind: scan.kind,
      bscanCount: scan.bscan_count,
      format: scan.format,
      file: scan.series_json ? (JSON.parse(scan.series_json) as SeriesFileFacts) : null,
      bscans,
      localizer: l
        ? { width: l.width, height: l.height, scaleXMm: l.scale_x_mm, scaleYMm: l.scale_y_mm, modality: l.modality, stored: l.stored_file !== null, missing: l.missing }
        : null,
      deviceSegmentation: this.deviceInfo(scanId),
    };
  }

  /** A B-scan's stored image (relative library path) and size. NOT_FOUND naming scan and index. */
  bscanFile(scanId: number, index: number): { storedFile: string; width: number; height: number } {
    const row = this.db.prepare('SELECT stored_file, width, height FROM bscans WHERE scan_id = ? AND idx = ?').get(scanId, index) as
      | { stored_file: string; width: number; height: number }
      | undefined;
    if (!row) throw new AppError('NOT_FOUND', `Scan ${scanId} has no B-scan ${index}`, { scanId, bscanIndex: index });
    return { storedFile: row.stored_file, width: row.width, height: row.height };
  }

  /** The localizer's stored image; NOT_FOUND when the scan has none (or only its description). */
  localizerFile(scanId: number): { storedFile: string; width: number; height: number } {
    const row = this.db.prepare('SELECT stored_file, width, height FROM localizers WHERE scan_id = ?').get(scanId) as
      | { stored_file: string | null; width: number; height: number }
      | undefined;
    if (!row?.stored_file) throw new AppError('NOT_FOUND', `Scan ${scanId} has no localizer image`, { scanId });
    return { storedFile: row.stored_file, width: row.width, height: row.height };
  }

  /**
   * What the catalog card shows: the localizer, else the middle B-scan (a volume's edge B-scan says
   * little), else the scan's own image.
   */
  thumbnailFile(scanId: number): { storedFile: string; width: number; height: number; what: 'localizer' | 'bscan' } {
    try {
      return { ...this.localizerFile(scanId), what: 'localizer' };
    } catch {
      const count = (this.db.prepare('SELECT COUNT(*) AS n FROM bscans WHERE scan_id = ?').get(scanId) as { n: number }).n;
      return { ...this.bscanFile(scanId, Math.floor(Math.max(0, count - 1) / 2)), what: 'bscan' };
    }
  }

  /** The device segmentation of a scan (kind 'device'), or null when the file had none. */
  deviceInfo(scanId: number): DeviceSegmentationInfo | null {
    const row = this.db
      .prepare('SELECT name, source, boundary_names, COUNT(*) AS n FROM device_segmentations WHERE scan_id = ? GROUP BY name, source, boundary_names ORDER BY n DESC LIMIT 1')
      .get(scanId) as { name: string; source: string; boundary_names: string; n: number } | undefined;
    if (!row) return null;
    const total = (this.db.prepare('SELECT COUNT(*) AS n FROM device_segmentations WHERE scan_id = ?').get(scanId) as { n: number }).n;
    return { kind: 'device', name: row.name, source: row.source, boundaryNames: JSON.parse(row.boundary_names) as string[], bscanCount: total };
  }

  /** One B-scan's device boundaries (rows per A-scan, null where none), or null when it has none. */
  deviceLines(scanId: number, bscanIndex: number): DeviceBoundaryLines | null {
    const row = this.db.prepare('SELECT * FROM device_segmentations WHERE scan_id = ? AND bscan_index = ?').get(scanId, bscanIndex) as DeviceRow | undefined;
    if (!row) return null;
    const names = JSON.parse(row.boundary_names) as string[];
    const lines = unpackLines(row.boundaries, names.length, row.width);
    return {
      scanId,
      bscanIndex,
      name: row.name,
      width: row.width,
      lines: names.map((name, i) => ({ name, rows: Array.from(lines[i]!, (v) => (Number.isFinite(v) ? v : null)) })),
    };
  }

  /** The B-scan indices of a scan, in order. */
  bscanIndices(scanId: number): number[] {
    return this.db.prepare('SELECT idx FROM bscans WHERE scan_id = ? ORDER BY idx').pluck().all(scanId) as number[];
  }
}

/** Boundaries as stored: little-endian float32, one boundary after the other, NaN where the device marked none. */
export function packLines(lines: readonly Float32Array[], width: number): Buffer {
  const out = Buffer.alloc(lines.length * width * 4);
  lines.forEach((line, i) => {
    for (let x = 0; x < width; x++) out.writeFloatLE(x < line.length ? (line[x] as number) : NaN, (i * width + x) * 4);
  });
  return out;
}

export function unpackLines(blob: Buffer, count: number, width: number): Float32Array[] {
  if (blob.length !== count * width * 4) throw new AppError('IO', `Stored device boundaries hold ${blob.length} bytes, expected ${count * width * 4}`);
  return Array.from({ length: count }, (_, i) => {
    const line = new Float32Array(width);
    for (let x = 0; x < width; x++) line[x] = blob.readFloatLE((i * width + x) * 4);
    return line;
  });
}

function finite(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function toBscan(r: BscanRow): BscanRecord {
  let geometry: BscanGeometry | null = null;
  const start = r.start_x_mm !== null && r.start_y_mm !== null ? { x: r.start_x_mm, y: r.start_y_mm } : null;
  if (r.geometry === 'line' && start && r.end_x_mm !== null && r.end_y_mm !== null) geometry = { type: 'line', start, end: { x: r.end_x_mm, y: r.end_y_mm } };
  if (r.geometry === 'circle' && r.centre_x_mm !== null && r.centre_y_mm !== null && r.radius_mm !== null) {
    const centre = { x: r.centre_x_mm, y: r.centre_y_mm };
    geometry = { type: 'circle', centre, radius: r.radius_mm, start: start ?? { x: centre.x + r.radius_mm, y: centre.y } };
  }
  return { index: r.idx, width: r.width, height: r.height, geometry, quality: r.quality };
}
