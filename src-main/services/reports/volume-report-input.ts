import type { BoundaryDifference } from '../../../src-shared/analysis/device-difference';
import type { BscanSurfaces } from '../../../src-shared/analysis/enface/surfaces';
import type { SignOff } from '../../../src-shared/domain/review';
import type { EyeAssessment } from '../../../src-shared/domain/laterality';
import type { MapPanel } from '../enface/map-svg';
import type { VolumeResult } from '../enface/analyse-volume';

/** An image embedded in the page, with the extent it covers on the localizer (mm) where it has one. */
export interface EmbeddedImage {
  href: string;
  widthPx: number;
  heightPx: number;
}

/** Everything the volume report page is composed from (the one layout source's input for PDF and PNG). */
export interface VolumeReportInput {
  scan: {
    /** "scan 12" or the file's name. */
    name: string;
    scanId: number | null;
    patient: { externalId: string | null; name: string | null; birthDate: string | null; sex: string | null } | null;
    eye: EyeAssessment;
    acquiredAt: string | null;
    device: string | null;
    protocol: string | null;
    format: string | null;
    bscanCount: number;
    width: number;
    height: number;
  };
  result: VolumeResult;
  /** The total retina map's panel (Stratum's, else the device's): raster, colour scale, grid. */
  totalPanel: MapPanel;
  /** The localizer image and mm per pixel, when the volume has one. */
  localizer: (EmbeddedImage & { scaleXMm: number; scaleYMm: number }) | null;
  /** The B-scan nearest the fovea, with Stratum's and the device's surfaces on it. */
  /** `heightPx` rows from `rowOffset` of the B-scan are shown (cropped to the retina). */
  foveaBscan: (EmbeddedImage & { index: number; distanceMm: number; rowOffset: number; stratum: BscanSurfaces | null; device: BscanSurfaces | null; difference: BoundaryDifference[] | null }) | null;
  review: {
    inCatalog: boolean;
    /** The state table's label ("Needs review", ...). */
    state: string;
    segmentations: string[];
    segmented: number;
    signedOff: number;
    signOffs: SignOff[];
    flags: string[];
  };
  appVersion: string;
  reportDate: string;
}
