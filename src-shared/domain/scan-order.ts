import type { ScanSortKey } from './catalog';

/**
 * The catalog's default order, the same in the app's catalog and `stratum list`: by id (import order),
 * oldest first. Dates sort newest first; ids and patients ascending.
 */
export const DEFAULT_SCAN_SORT: ScanSortKey = 'id';

export const SCAN_SORT_KEYS: readonly ScanSortKey[] = ['id', 'importedAt', 'acquiredAt', 'patient'];

export function defaultOrderFor(sort: ScanSortKey): 'asc' | 'desc' {
  return sort === 'importedAt' || sort === 'acquiredAt' ? 'desc' : 'asc';
}
