/**
 * Change between visits: one patient's eye scanned on several dates, each with a thickness summary,
 * becomes a table of zone means per visit and their change from the first (baseline) visit. Thinning of
 * single layers over time is what glaucoma, AMD and DME follow-up looks for.
 *
 * Honest by construction: a change is given only between visits measured in the same unit (micrometres
 * with a known scale, or pixels), and visits without an acquisition date cannot be put in order, so they
 * are listed apart rather than guessed.
 */
import type { Laterality } from '../domain/laterality';
import { LAYERS, type LayerKey } from '../domain/layers';
import { countOf } from '../domain/wording';
import { ZONE_KEYS, type SegmentationSummary, type ThicknessUnit, type ZoneKey } from '../domain/segmentation';

export type SeriesKey = LayerKey | 'TRT';
export const SERIES_KEYS: readonly SeriesKey[] = [...LAYERS.map((l) => l.key), 'TRT'];

export type ZoneTable = Record<SeriesKey, Record<ZoneKey, number | null>>;

export interface VisitInput {
  scanId: number;
  acquiredAt: string | null;
  summary: SegmentationSummary;
}

export interface VisitRow {
  scanId: number;
  acquiredAt: string;
  unit: ThicknessUnit;
  /** Mean thickness per series (8 layers + TRT) and zone, in `unit`. */
  values: ZoneTable;
  /** This visit minus the baseline, where both exist and the units match; null for the baseline itself. */
  changeFromBaseline: ZoneTable | null;
  /** Whether the summary came from a clinician's correction. */
  corrected: boolean;
}

export interface VisitChanges {
  rows: VisitRow[];
  /** Scans of this eye that have no acquisition date (not placed on the timeline). */
  undated: number[];
  notes: string[];
}

/** The visits of one patient's eye, as the `catalog.visits` channel returns them. */
export interface PatientEyeVisits extends VisitChanges {
  patient: string | null;
  eye: Laterality;
}

function zoneTable(summary: SegmentationSummary): ZoneTable {
  const out = {} as ZoneTable;
  for (const key of SERIES_KEYS) {
    const series = key === 'TRT' ? summary.total : summary.layers.find((l) => l.layer === key);
    out[key] = Object.fromEntries(ZONE_KEYS.map((z) => [z, series?.zoneMeans[z] ?? null])) as Record<ZoneKey, number | null>;
  }
  return out;
}

function difference(a: ZoneTable, b: ZoneTable): ZoneTable {
  const out = {} as ZoneTable;
  for (const key of SERIES_KEYS) {
    out[key] = Object.fromEntries(
      ZONE_KEYS.map((z) => {
        const x = a[key][z];
        const y = b[key][z];
        return [z, x === null || y === null ? null : Math.round((x - y) * 10) / 10];
      }),
    ) as Record<ZoneKey, number | null>;
  }
  return out;
}

/** Orders the visits by acquisition date and measures each against the first. */
export function visitChanges(visits: readonly VisitInput[]): VisitChanges {
  const dated = visits.filter((v) => v.acquiredAt).sort((a, b) => a.acquiredAt!.localeCompare(b.acquiredAt!) || a.scanId - b.scanId);
  const undated = visits.filter((v) => !v.acquiredAt).map((v) => v.scanId);
  const notes: string[] = [];
  if (undated.length) notes.push(`${countOf(undated.length, 'scan')} without an acquisition date ${undated.length === 1 ? 'is' : 'are'} not on the timeline`);
  const baseline = dated[0];
  const baseTable = baseline ? zoneTable(baseline.summary) : null;
  const rows = dated.map((v, i): VisitRow => {
    const unit = v.summary.total.unit;
    const values = zoneTable(v.summary);
    let change: ZoneTable | null = null;
    if (i > 0 && baseline && baseTable) {
      if (unit === baseline.summary.total.unit) change = difference(values, baseTable);
      else notes.push(`scan ${v.scanId} is measured in ${unit}, the baseline in ${baseline.summary.total.unit}: no change computed`);
    }
    return { scanId: v.scanId, acquiredAt: v.acquiredAt!, unit, values, changeFromBaseline: change, corrected: Boolean(v.summary.correction) };
  });
  return { rows, undated, notes };
}
