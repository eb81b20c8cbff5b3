/**
 * Summaries stored before zones were keyed by image side (issue 15.1) named them nasal/temporal and
 * carried `eye: {value: 'OD'|'OS', assumed}` (an unknown eye was laid out as OD). Read back, they are
 * put into today's shape here, once, so nothing downstream knows the old one.
 */
import { UNKNOWN_EYE, type EyeAssessment, type KnownLaterality } from '../../domain/laterality';
import { ZONE_KEYS, type AnatomicalZone, type SegmentationSummary, type ZoneKey } from '../../domain/segmentation';
import { zoneKeyOf } from './zones';

const OLD_KEYS: readonly AnatomicalZone[] = ['temporalOuter', 'temporalInner', 'centre', 'nasalInner', 'nasalOuter'];

type LegacyEye = { value: KnownLaterality; assumed: boolean };

/** Today's summary from a stored one of either shape (a current one is returned as it is). */
export function upgradeSummary(summary: SegmentationSummary): SegmentationSummary {
  const eye = summary.eye as EyeAssessment | LegacyEye | undefined;
  // a partial record (no zones or layers: a stub some tools and tests store) is left as it is
  if (!Array.isArray(summary.zones) || !Array.isArray(summary.layers) || !summary.total) return summary;
  const legacy = eye === undefined || 'assumed' in eye || summary.zones.some((z) => (OLD_KEYS as readonly string[]).includes(z.key) && z.key !== 'centre');
  if (!legacy) return summary;
  // the old layout: nasal right of the fovea for OD (and for an unknown eye, assumed OD), left for OS
  const laidOutAs: KnownLaterality = eye && 'value' in eye && eye.value === 'OS' ? 'OS' : 'OD';
  const key = (old: string): ZoneKey => (old === 'centre' ? 'centre' : (OLD_KEYS as readonly string[]).includes(old) ? zoneKeyOf(old as AnatomicalZone, laidOutAs) : (old as ZoneKey));
  const means = (m: Record<string, number | null>) => {
    const out = Object.fromEntries(ZONE_KEYS.map((k) => [k, null])) as Record<ZoneKey, number | null>;
    for (const [k, v] of Object.entries(m)) out[key(k)] = v;
    return out;
  };
  const upgradedEye: EyeAssessment =
    !eye || ('assumed' in eye && eye.assumed) ? { ...UNKNOWN_EYE } : 'assumed' in eye ? { value: eye.value, source: 'manifest', confidence: 1 } : eye;
  return {
    ...summary,
    zones: summary.zones.map((z) => ({ ...z, key: key(z.key) })),
    layers: summary.layers.map((l) => ({ ...l, zoneMeans: means(l.zoneMeans) })),
    total: { ...summary.total, zoneMeans: means(summary.total.zoneMeans) },
    eye: upgradedEye,
  };
}
