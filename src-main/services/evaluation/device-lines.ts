/**
 * `stratum evaluate --against-device FILE...`: the model's ILM and BM, through the app's own engine and
 * decode, against the boundaries the device stored in the file (Heidelberg .vol lines, Topcon contours:
 * whatever the vendor reader returns as `deviceBoundaries`). Per file and line: mean absolute error in
 * px and µm (the file's axial spacing), the mean signed error (positive = the model's line lies below
 * the device's), and the share of the device's columns where the model found the line at all.
 *
 * The model's lines are edges in pixel-centre coordinates, the convention of the surface head: ILM =
 * first labelled row - 0.5, BM = last RPE row + 0.5 (the RPE's lower edge, where the device draws BM).
 */
import { round } from '../../../src-shared/analysis/numbers';
import { AppError } from '../../../src-shared/contract';
import { layerByKey } from '../../../src-shared/domain/layers';
import type { ScanScale } from '../../../src-shared/domain/segmentation';
import { openSeriesFile } from '../formats/open-series-file';
import type { SegmentationService } from '../segmentation/segmentation-service';

/** The device lines scored, by the names the vendor readers give them. */
export const DEVICE_LINES = ['ILM', 'BM'] as const;
export type DeviceLine = (typeof DEVICE_LINES)[number];

export interface DeviceLineError {
  line: DeviceLine;
  /** A-scans where the device marked the line. */
  columns: number;
  /** Share of those where the model's labels hold the line. */
  found: number;
  maePx: number | null;
  maeUm: number | null;
  meanSignedPx: number | null;
}

export interface DeviceFileResult {
  file: string;
  format: string;
  kind: string;
  bscans: number;
  axialUm: number | null;
  lines: DeviceLineError[];
}

export interface DeviceLinesReport {
  predictor: string;
  method: string;
  files: DeviceFileResult[];
  failed: { file: string; error: string }[];
}

const RPE = layerByKey('RPE')!.index;

/** Rows of the model's ILM and BM per column (NaN where the labels do not hold the line). */
export function linesFromLabels(labels: Uint8Array, width: number, height: number): Record<DeviceLine, Float64Array> {
  const ilm = new Float64Array(width).fill(NaN);
  const bm = new Float64Array(width).fill(NaN);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      const c = labels[y * width + x]!;
      if (c !== 0 && Number.isNaN(ilm[x]!)) ilm[x] = y - 0.5;
      if (c === RPE) bm[x] = y + 0.5;
    }
  }
  return { ILM: ilm, BM: bm };
}

class LineAccumulator {
  columns = 0;
  found = 0;
  abs = 0;
  signed = 0;

  add(model: Float64Array, device: Float32Array | undefined): void {
    if (!device) return;
    const n = Math.min(model.length, device.length);
    for (let x = 0; x < n; x++) {
      const d = device[x]!;
      if (!Number.isFinite(d)) continue;
      this.columns++;
      const m = model[x]!;
      if (Number.isNaN(m)) continue;
      this.found++;
      this.abs += Math.abs(m - d);
      this.signed += m - d;
    }
  }

  result(line: DeviceLine, axialUm: number | null): DeviceLineError {
    const mae = this.found ? this.abs / this.found : null;
    return {
      line,
      columns: this.columns,
      found: this.columns ? round(this.found / this.columns, 4) : 0,
      maePx: mae === null ? null : round(mae, 3),
      maeUm: mae === null || axialUm === null ? null : round(mae * axialUm, 2),
      meanSignedPx: this.found ? round(this.signed / this.found, 3) : null,
    };
  }
}

/** Scores every B-scan of each file that carries device lines; a file without them is named in `failed`. */
export async function evaluateAgainstDevice(files: readonly string[], segmentation: SegmentationService): Promise<DeviceLinesReport> {
  const status = await segmentation.load();
  const report: DeviceLinesReport = {
    predictor: `${status.model?.id ?? '?'} ${status.model?.version ?? ''} (${status.engine}/${status.executionProvider ?? 'cpu'}${status.precision === 'int8' ? ' int8' : ''})`,
    method: 'ILM = first labelled row - 0.5, BM = last RPE row + 0.5 (edges, pixel-centre rows) vs the device lines, per A-scan',
    files: [],
    failed: [],
  };
  for (const file of files) {
    try {
      report.files.push(await scoreFile(file, segmentation));
    } catch (error) {
      if (error instanceof AppError && (error.code === 'MODEL_UNAVAILABLE' || error.code === 'CANCELLED')) throw error;
      const code = error instanceof AppError ? ` [${error.code}]` : '';
      report.failed.push({ file, error: `${(error as Error).message}${code}` });
    }
  }
  if (report.files.length === 0) {
    throw new AppError('BAD_INPUT', `No file could be scored against device lines; first: ${report.failed[0]?.error ?? 'none given'}`, { failed: report.failed });
  }
  return report;
}

async function scoreFile(file: string, segmentation: SegmentationService): Promise<DeviceFileResult> {
  const opened = await openSeriesFile(file);
  try {
    const { series } = opened;
    const device = series.deviceBoundaries;
    const lines = device ? DEVICE_LINES.filter((l) => device.names.includes(l)) : [];
    if (!device || lines.length === 0) throw new AppError('BAD_INPUT', `${file}: the file holds no device ILM or BM line`);
    const scale: ScanScale = { axialUmPerPx: series.scale.axialUm, lateralUmPerPx: series.scale.lateralUm, provenance: series.scale.axialUm !== null ? 'file' : 'unknown' };
    const acc = new Map(lines.map((l) => [l, new LineAccumulator()] as const));
    const count = Math.min(series.bscanCount, device.bscanCount);
    for (let i = 0; i < count; i++) {
      const image = await series.bscan(i);
      const r = await segmentation.segmentGrey({ grey: image.pixels, width: image.width, height: image.height }, { scale, fileName: file });
      const model = linesFromLabels(r.labels, image.width, image.height);
      const stored = await device.read(i);
      for (const l of lines) acc.get(l)!.add(model[l], stored[l]);
    }
    return {
      file,
      format: series.formatLabel,
      kind: series.kind,
      bscans: count,
      axialUm: series.scale.axialUm,
      lines: lines.map((l) => acc.get(l)!.result(l, series.scale.axialUm)),
    };
  } finally {
    await opened.close();
  }
}
