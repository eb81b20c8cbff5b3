/**
 * Stage 5: ETDRS-style zones along the B-scan and each thickness profile's mean per zone; the names
 * the eye gives them.
 */
import { nasalSideOf, type Laterality } from '../../domain/laterality';
import type { AnatomicalZone, LayerThickness, ThicknessUnit, ZoneKey, ZoneName, ZoneSpan } from '../../domain/segmentation';
import { ZONE_KEYS } from '../../domain/segmentation';
import { meanOf, round } from '../numbers';

/** Zone radii from the fovea in micrometres: centre 1 mm diameter, inner ring to 3 mm, outer ring to 6 mm. */
const CENTRE_RADIUS_UM = 500;
const INNER_RADIUS_UM = 1500;
const OUTER_RADIUS_UM = 3000;

/**
 * ETDRS-style zones along a horizontal B-scan: centre (1 mm diameter), inner ring (1-3 mm) and outer
 * ring (3-6 mm) on each side of the fovea, keyed by image side. Needs the lateral spacing; returns []
 * when it is unknown. Which side is nasal is a naming question (zoneName), not a geometric one.
 */
export function zoneSpans(foveaColumn: number, width: number, lateralUmPerPx: number | null): ZoneSpan[] {
  if (lateralUmPerPx === null || !(lateralUmPerPx > 0)) return [];
  const r = (um: number) => um / lateralUmPerPx;
  const spans: ZoneSpan[] = [];
  const add = (key: ZoneKey, a: number, b: number) => {
    const start = Math.max(0, Math.round(Math.min(a, b)));
    const end = Math.min(width, Math.round(Math.max(a, b)));
    if (end > start) spans.push({ key, startColumn: start, endColumn: end });
  };
  const f = foveaColumn;
  add('leftOuter', f - r(OUTER_RADIUS_UM), f - r(INNER_RADIUS_UM));
  add('leftInner', f - r(INNER_RADIUS_UM), f - r(CENTRE_RADIUS_UM));
  add('centre', f - r(CENTRE_RADIUS_UM), f + r(CENTRE_RADIUS_UM));
  add('rightInner', f + r(CENTRE_RADIUS_UM), f + r(INNER_RADIUS_UM));
  add('rightOuter', f + r(INNER_RADIUS_UM), f + r(OUTER_RADIUS_UM));
  return spans;
}

/**
 * A zone's name for an eye: nasal on the side domain/laterality.ts puts it for that eye (OD: right),
 * temporal opposite; with the eye unknown the image key itself (left/right), never nasal or temporal.
 */
export function zoneName(key: ZoneKey, eye: Laterality): ZoneName {
  if (key === 'centre' || eye === 'unknown') return key;
  const side = key.startsWith('left') ? 'left' : 'right';
  const ring = key.endsWith('Outer') ? 'Outer' : 'Inner';
  return `${side === nasalSideOf(eye) ? 'nasal' : 'temporal'}${ring}` as AnatomicalZone;
}

/** The zone key an anatomical zone has on the image of a known eye (the inverse of zoneName). */
export function zoneKeyOf(zone: AnatomicalZone, eye: Exclude<Laterality, 'unknown'>): ZoneKey {
  return ZONE_KEYS.find((k) => zoneName(k, eye) === zone)!;
}

const LABELS: Record<ZoneName, { short: string; long: string }> = {
  temporalOuter: { short: 'T outer', long: 'Temporal outer' },
  temporalInner: { short: 'T inner', long: 'Temporal inner' },
  centre: { short: 'Centre', long: 'Centre' },
  nasalInner: { short: 'N inner', long: 'Nasal inner' },
  nasalOuter: { short: 'N outer', long: 'Nasal outer' },
  leftOuter: { short: 'L outer', long: 'Left outer' },
  leftInner: { short: 'L inner', long: 'Left inner' },
  rightInner: { short: 'R inner', long: 'Right inner' },
  rightOuter: { short: 'R outer', long: 'Right outer' },
};

/** What people read for a zone ('N outer' / 'Nasal outer'; 'L outer' / 'Left outer' while the eye is unknown). */
export function zoneLabel(key: ZoneKey, eye: Laterality, form: 'short' | 'long' = 'short'): string {
  return LABELS[zoneName(key, eye)][form];
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
