import { basename } from 'node:path';
import { scaleFor } from '../../../src-shared/analysis/scale';
import { eyeOfRecord, type ScanRecord } from '../../../src-shared/domain/catalog';
import type { EyeAssessment } from '../../../src-shared/domain/laterality';
import type { ScanScale } from '../../../src-shared/domain/segmentation';
import { recognise } from '../import/recognise';

/**
 * The scale a catalog scan is measured with: the one its import decided (scaleFor at import time).
 * An unknown scale stays unknown unless a device profile matches the device the scan names.
 */
export function scaleOfScan(scan: ScanRecord): ScanScale {
  return scaleFor({
    width: scan.width,
    height: scan.height,
    device: scan.device,
    given: { axialUmPerPx: scan.axialUmPerPx, lateralUmPerPx: scan.lateralUmPerPx, provenance: scan.scaleProvenance, ...(scan.scaleSource ? { source: scan.scaleSource } : {}) },
  });
}

/** The scale a bare image file (not in the catalog) is measured with: what its name says of the device, as at import. */
export function scaleOfFile(fileName: string | null, width: number, height: number): ScanScale {
  const named = fileName === null ? null : recognise(basename(fileName), '');
  return scaleFor({ width, height, device: named?.device ?? null, octidLayout: named?.octidLayout ?? false });
}

/** The scan's eye with where it came from; unknown lets the segmentation's anatomy decide (summary.ts). */
export function eyeOfScan(scan: ScanRecord): EyeAssessment {
  return eyeOfRecord(scan);
}
