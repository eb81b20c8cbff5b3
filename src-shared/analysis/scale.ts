import type { ScanScale } from '../domain/segmentation';

/**
 * Pixel spacing for a bare image (no header) from its size.
 *
 * OCTID's Zeiss Cirrus HD-OCT exports are 750x500 JPEGs of a 6 mm horizontal line through the fovea.
 * Estimated profile (provenance 'device-profile', never 'file'):
 * - lateral: 6 mm scan width / 750 px = 8.0 µm/px;
 * - axial: 2 mm depth / 500 rows = 4.0 µm/px. The Cirrus acquires 1024 samples at ~1.95 µm over 2 mm of
 *   depth, but these exports are resampled to 500 rows. Checked against the normative Cirrus values
 *   (BMC Ophthalmol 2018;18:169: total retina ~257 µm at the fovea, 325-340 µm in the inner ring): with
 *   4.0 µm/px our mean over the 60 OCTID scans lands there, with 1.95 µm/px it is half of that.
 * Every other size is 'unknown': thickness is then reported in pixels only.
 */
export const CIRRUS_750x500_PROFILE: ScanScale = {
  axialUmPerPx: 2000 / 500,
  lateralUmPerPx: 6000 / 750,
  provenance: 'device-profile',
  source: 'Zeiss Cirrus 750x500 export profile (estimated: 6 mm / 750 px lateral, 2 mm / 500 px = 4 µm/px axial)',
};

export const UNKNOWN_SCALE: ScanScale = { axialUmPerPx: null, lateralUmPerPx: null, provenance: 'unknown' };

export function estimateScaleForImage(width: number, height: number): ScanScale {
  if (width === 750 && height === 500) return { ...CIRRUS_750x500_PROFILE };
  return { ...UNKNOWN_SCALE };
}
