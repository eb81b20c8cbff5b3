/**
 * Which eye a scan shows: the one type for it across catalog, import, analysis and reports.
 * 'unknown' is a real value (a bare image, a file name without OD/OS), not a missing one.
 *
 * Kept in its own module because it will grow: a later step records where the value came from and
 * how sure it is (`{ value, source, confidence }`); `Laterality` stays the value's type then.
 */
export const LATERALITIES = ['OD', 'OS', 'unknown'] as const;
export type Laterality = (typeof LATERALITIES)[number];

/** A laterality that is known: what nasal/temporal zones are laid out for. */
export type KnownLaterality = Exclude<Laterality, 'unknown'>;

/** The known laterality, or null when it is unknown (zones then assume OD and say so). */
export function knownLaterality(value: Laterality): KnownLaterality | null {
  return value === 'unknown' ? null : value;
}
