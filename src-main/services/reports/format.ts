import { round } from '../../../src-shared/analysis/numbers';
import type { ScanScale, ThicknessUnit } from '../../../src-shared/domain/segmentation';

/** Thickness rounding shared by the report table, the CSV and the JSON export: one decimal. */
export function roundThickness(value: number | null | undefined): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const rounded = round(value, 1);
  return Object.is(rounded, -0) ? 0 : rounded;
}

/** The printed form of a rounded thickness ("—" when missing). */
export function formatThickness(value: number | null | undefined): string {
  const r = roundThickness(value);
  return r === null ? '—' : r.toFixed(1);
}

/** Unit as printed to people. */
export function unitLabel(unit: ThicknessUnit): string {
  return unit === 'um' ? 'µm' : 'px';
}

export function scaleKnown(scale: ScanScale): boolean {
  return scale.provenance !== 'unknown' && scale.axialUmPerPx !== null;
}

export const SCALE_UNKNOWN_MARK = 'pixel units: scale unknown';

const PROVENANCE_LABEL: Record<ScanScale['provenance'], string> = {
  file: 'from file',
  'device-profile': 'device profile',
  user: 'entered by user',
  unknown: 'unknown',
};

export function describeScale(scale: ScanScale): string {
  if (!scaleKnown(scale)) return SCALE_UNKNOWN_MARK;
  const axial = `${fmt(scale.axialUmPerPx)} µm/px axial`;
  const lateral = scale.lateralUmPerPx === null ? 'lateral unknown' : `${fmt(scale.lateralUmPerPx)} µm/px lateral`;
  const src = scale.source ? `; ${scale.source}` : '';
  return `${axial}, ${lateral} (${PROVENANCE_LABEL[scale.provenance]}${src})`;
}

function fmt(n: number | null): string {
  return n === null ? '?' : String(round(n, 3));
}

/** YYYY-MM-DD of an ISO string, or the string itself when it is not a date. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return 'unknown';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 10);
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return 'unknown';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Whole years between a birth date and a reference date; null when either is unknown. */
export function ageAt(birthDate: string | null | undefined, at: string | null | undefined): number | null {
  if (!birthDate || !at) return null;
  const b = new Date(birthDate);
  const a = new Date(at);
  if (Number.isNaN(b.getTime()) || Number.isNaN(a.getTime())) return null;
  let years = a.getUTCFullYear() - b.getUTCFullYear();
  const beforeBirthday =
    a.getUTCMonth() < b.getUTCMonth() || (a.getUTCMonth() === b.getUTCMonth() && a.getUTCDate() < b.getUTCDate());
  if (beforeBirthday) years--;
  return years >= 0 ? years : null;
}
