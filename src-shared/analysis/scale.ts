import type { ScanScale } from '../domain/segmentation';
import type { SeriesScale } from '../formats/types';

/**
 * The one rule for the pixel spacing thickness is measured with, used at import, for catalog scans
 * and for bare image files alike (`scaleFor`):
 *
 * 1. a spacing the file header, a manifest or the user gave is the truth; a vendor file's header
 *    (`file`, provenance 'file') comes first, and an axis it does not give stays unknown, never guessed;
 * 2. else a device profile whose device and export size match supplies an estimate (provenance
 *    'device-profile', shown as "estimated");
 * 3. else the scale is unknown and thickness is reported in pixels only.
 *
 * A scan whose scale is unknown stays unknown: the image size alone is no evidence of the device
 * (any 750x500 JPEG is not a Cirrus export), so a profile applies only where the device is named
 * (file header, manifest, or a file named as in the OCTID download).
 */
export interface ScaleEvidence {
  width: number;
  height: number;
  /** The spacing a vendor file's header gives (formats/types.ts SeriesScale, from the reader). */
  file?: SeriesScale | null;
  /** The spacing a manifest or the user gave; null (or provenance 'unknown') when none. */
  given?: ScanScale | null;
  /** The device named by the file's header, a manifest or its name; null when none. */
  device: string | null;
  /** The file is named as in the OCTID download (`NORMAL12.jpeg`): Zeiss Cirrus exports. */
  octidLayout?: boolean;
}

export interface DeviceProfile {
  id: string;
  device: string;
  matches(evidence: ScaleEvidence): boolean;
  scale: ScanScale;
}

/**
 * OCTID's Zeiss Cirrus HD-OCT exports are 750x500 JPEGs of a 6 mm horizontal line through the fovea.
 * Estimated profile (provenance 'device-profile', never 'file'):
 * - lateral: 6 mm scan width / 750 px = 8.0 µm/px;
 * - axial: 2 mm depth / 500 rows = 4.0 µm/px. The Cirrus acquires 1024 samples at ~1.95 µm over 2 mm of
 *   depth, but these exports are resampled to 500 rows. Checked against the normative Cirrus values
 *   (BMC Ophthalmol 2018;18:169: total retina ~257 µm at the fovea, 325-340 µm in the inner ring): with
 *   4.0 µm/px our mean over the 60 OCTID scans lands there, with 1.95 µm/px it is half of that.
 */
export const CIRRUS_750x500_PROFILE: ScanScale = {
  axialUmPerPx: 2000 / 500,
  lateralUmPerPx: 6000 / 750,
  provenance: 'device-profile',
  source: 'Zeiss Cirrus 750x500 export profile (estimated: 6 mm / 750 px lateral, 2 mm / 500 px = 4 µm/px axial)',
};

export const CIRRUS_750x500: DeviceProfile = {
  id: 'zeiss-cirrus-750x500',
  device: 'Zeiss Cirrus HD-OCT',
  matches: ({ device, width, height, octidLayout }) =>
    width === 750 && height === 500 && (octidLayout === true || (device !== null && /cirrus/i.test(device))),
  scale: CIRRUS_750x500_PROFILE,
};

export const DEVICE_PROFILES: readonly DeviceProfile[] = [CIRRUS_750x500];

export const UNKNOWN_SCALE: ScanScale = { axialUmPerPx: null, lateralUmPerPx: null, provenance: 'unknown' };

/** The first device profile that matches, or null. */
export function profileFor(evidence: ScaleEvidence): DeviceProfile | null {
  return DEVICE_PROFILES.find((p) => p.matches(evidence)) ?? null;
}

/**
 * A vendor file's spacing as the scale to measure with: provenance 'file', the fields it came from as
 * the source; an axis the file does not give (the E2E lateral scale) stays null. Null when it gives none.
 */
export function scaleFromFile(scale: SeriesScale): ScanScale | null {
  if (scale.axialUm === null && scale.lateralUm === null) return null;
  const axial = scale.axialUm !== null ? `axial from ${scale.sources.axial ?? 'the file'}` : 'axial not in the file (unknown)';
  const lateral = scale.lateralUm !== null ? `lateral from ${scale.sources.lateral ?? 'the file'}` : 'lateral not in the file (unknown)';
  return { axialUmPerPx: scale.axialUm, lateralUmPerPx: scale.lateralUm, provenance: 'file', source: `${axial}; ${lateral}` };
}

/** The scale to measure with (see the rule above). Always a fresh object. */
export function scaleFor(evidence: ScaleEvidence): ScanScale {
  const fromFile = evidence.file ? scaleFromFile(evidence.file) : null;
  if (fromFile) return fromFile;
  const given = evidence.given;
  if (given && given.provenance !== 'unknown' && (given.axialUmPerPx !== null || given.lateralUmPerPx !== null)) return { ...given };
  const profile = profileFor(evidence);
  return profile ? { ...profile.scale, source: profile.scale.source ?? profile.id } : { ...UNKNOWN_SCALE };
}
