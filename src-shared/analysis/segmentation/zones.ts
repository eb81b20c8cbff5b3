/**
 * Stage 5: ETDRS-style zones along the B-scan and each thickness profile's mean per zone.
 */
import type { KnownLaterality } from '../../domain/laterality';
import type { LayerThickness, ThicknessUnit, ZoneKey, ZoneSpan } from '../../domain/segmentation';
import { ZONE_KEYS } from '../../domain/segmentation';
import { meanOf, round } from '../numbers';

/** Zone radii from the fovea in micrometres: centre 1 mm diameter, inner ring to 3 mm, outer ring to 6 mm. */
const CENTRE_RADIUS_UM = 500;
const INNER_RADIUS_UM = 1500;
const OUTER_RADIUS_UM = 3000;

/**
 * ETDRS-style zones along a horizontal B-scan: centre (1 mm diameter), inner ring (1-3 mm) and outer
 * ring (3-6 mm) on each side of the fovea. Needs the lateral spacing; returns [] when it is unknown.
 *
 * Convention: B-scans are displayed as in the fundus view (image left = the examiner's left when facing
 * the patient, as Heidelberg and Zeiss show them). Nasal points toward the optic disc: for a right eye
 * (OD) the disc lies to the right of the fovea on the image, so nasal = right, temporal = left; for a
 * left eye (OS) it is mirrored (nasal = left).
 */
export function zoneSpans(foveaColumn: number, width: number, lateralUmPerPx: number | null, eye: KnownLaterality): ZoneSpan[] {
  if (lateralUmPerPx === null || !(lateralUmPerPx > 0)) return [];
  const r = (um: number) => um / lateralUmPerPx;
  const nasalSign = eye === 'OD' ? 1 : -1;
  const spans: ZoneSpan[] = [];
  const add = (key: ZoneKey, a: number, b: number) => {
    const start = Math.max(0, Math.round(Math.min(a, b)));
    const end = Math.min(width, Math.round(Math.max(a, b)));
    if (end > start) spans.push({ key, startColumn: start, endColumn: end });
  };
  const f = foveaColumn;
  add('centre', f - r(CENTRE_RADIUS_UM), f + r(CENTRE_RADIUS_UM));
  add('nasalInner', f + nasalSign * r(CENTRE_RADIUS_UM), f + nasalSign * r(INNER_RADIUS_UM));
  add('nasalOuter', f + nasalSign * r(INNER_RADIUS_UM), f + nasalSign * r(OUTER_RADIUS_UM));
  add('temporalInner', f - nasalSign * r(CENTRE_RADIUS_UM), f - nasalSign * r(INNER_RADIUS_UM));
  add('temporalOuter', f - nasalSign * r(INNER_RADIUS_UM), f - nasalSign * r(OUTER_RADIUS_UM));
  return ZONE_KEYS.flatMap((k) => spans.filter((s) => s.key === k));
}

/**
 * One thickness record from a per-column profile in pixels: the profile in `unit` (µm when the axial
 * spacing is known), its mean per zone and overall, rounded to 2 decimals.
 */
export function thicknessRecord(
  pxProfile: readonly (number | null)[],
  unit: ThicknessUnit,
  axial: number | null,
  zones: readonly ZoneSpan[],
): Omit<LayerThickness, 'layer'> {
  const profile = pxProfile.map((v) => (v === null ? null : round(unit === 'um' ? v * axial! : v)));
  const zoneMeans = Object.fromEntries(ZONE_KEYS.map((k) => [k, null])) as Record<ZoneKey, number | null>;
  for (const z of zones) {
    const m = meanOf(profile, z.startColumn, z.endColumn);
    zoneMeans[z.key] = m === null ? null : round(m);
  }
  const m = meanOf(profile);
  return { unit, profile, zoneMeans, mean: m === null ? null : round(m) };
}
