import type { ScanSortKey } from './catalog';

/**
 * The catalog's default order, the same in the app's catalog and `stratum list`: by id (import order),
 * oldest first. A sort key's natural order: dates newest first, everything else ascending (A-Z).
 */
export const DEFAULT_SCAN_SORT: ScanSortKey = 'id';

export function defaultOrderFor(sort: ScanSortKey): 'asc' | 'desc' {
  return sort === 'importedAt' || sort === 'acquiredAt' ? 'desc' : 'asc';
}
