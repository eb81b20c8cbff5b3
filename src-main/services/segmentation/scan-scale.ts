import { estimateScaleForImage } from '../../../src-shared/analysis/scale';
import type { Eye } from '../../../src-shared/analysis/segmentation';
import type { ScanRecord } from '../../../src-shared/domain/catalog';
import type { ScanScale } from '../../../src-shared/domain/segmentation';

/** The scale thickness is measured with: the scan's own, else the device-profile estimate for its size. */
export function scaleOfScan(scan: ScanRecord): ScanScale {
  return scan.scaleProvenance === 'unknown'
    ? estimateScaleForImage(scan.width, scan.height)
    : { axialUmPerPx: scan.axialUmPerPx, lateralUmPerPx: scan.lateralUmPerPx, provenance: scan.scaleProvenance, ...(scan.scaleSource ? { source: scan.scaleSource } : {}) };
}

/** The scan's eye, or null (zones then assume OD and say so). */
export function eyeOfScan(scan: ScanRecord): Eye | null {
  return scan.eye === 'unknown' ? null : scan.eye;
}
