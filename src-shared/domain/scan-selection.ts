import type { ScanFilter } from './catalog';
import { countOf } from './wording';

/**
 * Which scans a bulk action covers, as the renderer sends it and main resolves it (services/catalog/
 * selection.ts): either the ids a person ticked, or "all N matching" a filter, which covers every scan
 * the filter matches, not only the page on screen, minus any the person unticked afterwards.
 * The filter is the catalog list's own, without paging or order, so a selection names the same scans the
 * list shows, whenever it is resolved.
 */
export type ScanCriteria = Omit<ScanFilter, 'offset' | 'limit' | 'sort' | 'order'>;

export type ScanSelection =
  | { kind: 'ids'; ids: number[] }
  | { kind: 'filter'; filter: ScanCriteria; except?: number[] };

/** What a bulk segment covers: every selected scan, or only those without a segmentation yet. */
export const SEGMENT_SCOPES = ['all', 'unsegmented'] as const;
export type SegmentScope = (typeof SEGMENT_SCOPES)[number];

/** "3 scans", "all 60 matching scans" (the count as the list last said it). */
export function describeSelection(selection: ScanSelection, matching: number): string {
  if (selection.kind === 'ids') return countOf(selection.ids.length, 'scan');
  const n = matching - (selection.except?.length ?? 0);
  return selection.except?.length ? `${countOf(n, 'matching scan')} (${selection.except.length} unticked)` : `all ${countOf(n, 'matching scan')}`;
}

/** A tag as stored: trimmed, 1-100 characters, no comma (tags are kept comma-joined on the scan row). */
export function tagProblem(tag: string): string | null {
  const t = tag.trim();
  if (t.length === 0) return 'A tag needs at least one character';
  if (t.length > 100) return 'A tag has at most 100 characters';
  if (t.includes(',')) return 'A tag cannot contain a comma';
  return null;
}
