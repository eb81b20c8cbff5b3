/** The date encodings vendor files use, to ISO 8601. Each returns null for an impossible value. */

const TICKS_1601_TO_1970 = 116_444_736_000_000_000n;

/** Windows FILETIME: 100 ns ticks since 1601-01-01 UTC (Heidelberg VOL exam time, E2E acquisition). */
export function fileTimeToIso(ticks: bigint): string | null {
  if (ticks <= TICKS_1601_TO_1970) return null; // 0 = not set; before 1970 is not a real OCT exam
  const ms = Number((ticks - TICKS_1601_TO_1970) / 10_000n);
  return isoIfPlausible(new Date(ms));
}

/** OLE automation date: days since 1899-12-30 (Heidelberg VOL birth and visit dates). Date only. */
export function oleDateToIso(days: number): string | null {
  if (!Number.isFinite(days) || days <= 0 || days > 2_958_465) return null;
  const ms = Date.UTC(1899, 11, 30) + Math.round(days * 86_400_000);
  const iso = isoIfPlausible(new Date(ms), 1800);
  return iso ? iso.slice(0, 10) : null;
}

/** Calendar fields to ISO; `offsetMinutes` east of UTC when the file states one. */
export function fieldsToIso(
  fields: { year: number; month: number; day: number; hour?: number; minute?: number; second?: number },
  offsetMinutes?: number,
): string | null {
  const { year, month, day, hour = 0, minute = 0, second = 0 } = fields;
  if (![year, month, day, hour, minute, second].every(Number.isFinite)) return null;
  if (year < 1800 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31) return null;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second >= 61) return null;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCDate() !== day) return null; // 31 February
  const date = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  if (fields.hour === undefined) return date;
  const time = `${pad(hour)}:${pad(minute)}:${pad(Math.floor(second))}`;
  if (offsetMinutes === undefined) return `${date}T${time}`;
  if (!Number.isInteger(offsetMinutes) || Math.abs(offsetMinutes) > 14 * 60) return `${date}T${time}`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${date}T${time}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function isoIfPlausible(date: Date, minYear = 1970): string | null {
  const t = date.getTime();
  if (!Number.isFinite(t)) return null;
  const year = date.getUTCFullYear();
  if (year < minYear || year > 2200) return null;
  return date.toISOString().replace('.000Z', 'Z');
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}
