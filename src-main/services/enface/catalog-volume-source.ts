/**
 * A catalog scan (issue 16's series: B-scans in the library, their positions, the device's lines per
 * B-scan, Stratum's segmentation per B-scan) as a volume source, with the review facts and the patient
 * a volume report names. Read-only: nothing here writes to the catalog.
 */
import { basename } from 'node:path';
import { AppError } from '../../../src-shared/contract';
import { reviewLabel, segmentationName, type ReviewState, type SignOff } from '../../../src-shared/domain/review';
import type { GreyImage } from '../../../src-shared/formats/types';
import type { ImageLibrary } from '../catalog/library';
import type { PatientsRepo } from '../catalog/patients';
import type { ScansRepo } from '../catalog/scans';
import type { SegmentationsRepo } from '../catalog/segmentations';
import type { SeriesRepo } from '../catalog/series';
import { decodeLabelMap } from '../catalog/label-map-png';
import { decodeGrey } from '../segmentation/segmentation-service';
import { eyeOfScan, scaleOfScan } from '../segmentation/scan-scale';
import type { VolumeSource } from './volume-source';

export interface VolumeCatalog {
  scans: ScansRepo;
  patients: PatientsRepo;
  series: SeriesRepo;
  segmentations: SegmentationsRepo;
  library: ImageLibrary;
}

export interface VolumeReview {
  /** The scan's review state (the state table's key) and its label. */
  state: ReviewState;
  label: string;
  /** B-scans with a current segmentation, and how many of those are signed off. */
  segmented: number;
  signedOff: number;
  /** The sign-offs of the current segmentations, each signer once (latest time). */
  signOffs: SignOff[];
  flagReasons: string[];
}

export interface CatalogVolume {
  source: VolumeSource;
  scanId: number;
  patient: { externalId: string | null; name: string | null; birthDate: string | null; sex: string | null };
  review: VolumeReview;
  /** The file the scan was imported from (its name only). */
  fileName: string;
}

async function greyFrom(bytes: Buffer): Promise<GreyImage> {
  const { grey, width, height } = await decodeGrey(bytes);
  return { width, height, pixels: grey };
}

/** Opens scan `scanId` as a volume source; NOT_FOUND when there is no such scan. */
export function catalogVolume(catalog: VolumeCatalog, scanId: number): CatalogVolume {
  const scan = catalog.scans.require(scanId);
  const series = catalog.series.get(scanId);
  const name = `scan ${scanId}`;
  const info = series.deviceSegmentation;
  const loc = series.localizer;
  const source: VolumeSource = {
    name,
    kind: series.kind,
    bscanCount: series.bscanCount,
    width: scan.width,
    height: scan.height,
    geometry: series.bscans.map((b) => b.geometry),
    scale: scaleOfScan(scan),
    eye: eyeOfScan(scan),
    facts: { format: series.file?.formatLabel ?? series.format, device: scan.device, protocol: scan.protocol, acquired: scan.acquiredAt },
    bscan: async (i) => greyFrom(catalog.library.read(catalog.series.bscanFile(scanId, i).storedFile)),
    device: info
      ? {
          label: `${info.name}: ${info.source}`,
          names: info.boundaryNames,
          read: async (i) => {
            const l = catalog.series.deviceLines(scanId, i);
            if (!l) return null;
            return Object.fromEntries(l.lines.map((line) => [line.name, Float32Array.from(line.rows, (v) => (v === null ? NaN : v))]));
          },
        }
      : null,
    stored: async (i) => {
      const seg = catalog.segmentations.currentSegmentation(scanId, i);
      if (!seg?.summary) return null;
      const labels = await decodeLabelMap(seg.labelMapPng, seg.summary.width, seg.summary.height);
      return {
        labels,
        width: seg.summary.width,
        height: seg.summary.height,
        name: segmentationName(seg),
        model: seg.modelId && seg.modelVersion ? { id: seg.modelId, version: seg.modelVersion } : null,
        flags: seg.summary.flags,
      };
    },
    localizer:
      loc && loc.stored
        ? { width: loc.width, height: loc.height, scaleXMm: loc.scaleXMm, scaleYMm: loc.scaleYMm, read: async () => greyFrom(catalog.library.read(catalog.series.localizerFile(scanId).storedFile)) }
        : null,
  };
  const patient = scan.patientId === null ? null : catalog.patients.get(scan.patientId);
  return {
    source,
    scanId,
    patient: patient
      ? { externalId: patient.externalId, name: patient.name, birthDate: patient.birthDate, sex: patient.sex }
      : { externalId: scan.patientExternalId, name: scan.patientName, birthDate: null, sex: null },
    review: reviewOfVolume(catalog, scanId, scan.reviewState, scan.flagReasons),
    fileName: basename(scan.originalPath),
  };
}

function reviewOfVolume(catalog: VolumeCatalog, scanId: number, state: ReviewState, flagReasons: string[]): VolumeReview {
  let segmented = 0;
  let signedOff = 0;
  const bySigner = new Map<string, SignOff>();
  for (const i of catalog.series.bscanIndices(scanId)) {
    const current = catalog.segmentations.currentSegmentation(scanId, i);
    if (!current) continue;
    segmented++;
    if (current.signOff) {
      signedOff++;
      const seen = bySigner.get(current.signOff.by);
      if (!seen || seen.at < current.signOff.at) bySigner.set(current.signOff.by, current.signOff);
    }
  }
  return { state, label: reviewLabel(state), segmented, signedOff, signOffs: [...bySigner.values()], flagReasons };
}

/** NOT_FOUND with a hint when a scan is not a volume (the maps need one). */
export function requireVolume(v: CatalogVolume): CatalogVolume {
  if (v.source.kind !== 'volume') {
    throw new AppError('BAD_INPUT', `${v.source.name} is a ${v.source.kind} scan of ${v.source.bscanCount} B-scan(s); maps need a volume (raster) scan`, { scanId: v.scanId });
  }
  return v;
}
