import { AppError } from '../../../src-shared/contract/errors';
import type { ScanSelection } from '../../../src-shared/domain/scan-selection';
import type { SelectionCount } from '../../../src-shared/contract/channels/bulk';
import type { CatalogDb } from './database';
import type { ScansRepo } from './scans';

/**
 * Resolves a selection (domain/scan-selection.ts) to scan ids, in id order, at the moment an action
 * starts: ticked ids as given (each must exist; deleted ones included, so the trash's own selections
 * resolve), or every scan the filter matches now minus the unticked ones.
 */
export function resolveSelection(scans: Pick<ScansRepo, 'each' | 'get'>, selection: ScanSelection): number[] {
  if (selection.kind === 'ids') {
    const ids = [...new Set(selection.ids)].sort((a, b) => a - b);
    const missing = ids.filter((id) => scans.get(id) === null);
    if (missing.length > 0) {
      throw new AppError('NOT_FOUND', `${missing.length === 1 ? 'Scan' : 'Scans'} ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''} not in the catalog (purged?)`, { scanIds: missing });
    }
    return ids;
  }
  const except = new Set(selection.except ?? []);
  const ids: number[] = [];
  for (const scan of scans.each({ ...selection.filter, sort: 'id', order: 'asc' })) if (!except.has(scan.id)) ids.push(scan.id);
  return ids;
}

/** The ids, or NOT_FOUND when the selection covers no scan (an action over nothing is a mistake worth saying). */
export function requireSelection(scans: Pick<ScansRepo, 'each' | 'get'>, selection: ScanSelection): number[] {
  const ids = resolveSelection(scans, selection);
  if (ids.length === 0) throw new AppError('NOT_FOUND', 'No scans are selected: the selection matches no scan in the catalog.');
  return ids;
}

/** How many scans the selection covers, how many have no segmentation, how many are in the trash. */
export function countSelection(db: CatalogDb, scans: Pick<ScansRepo, 'each' | 'get'>, selection: ScanSelection): SelectionCount {
  const ids = resolveSelection(scans, selection);
  let unsegmented = 0;
  let inTrash = 0;
  const row = db.prepare('SELECT review_status IS NULL AS unsegmented, deleted_at IS NOT NULL AS deleted FROM scans WHERE id = ?');
  for (const id of ids) {
    const r = row.get(id) as { unsegmented: number; deleted: number } | undefined;
    if (r?.unsegmented) unsegmented++;
    if (r?.deleted) inTrash++;
  }
  return { scans: ids.length, unsegmented, inTrash };
}
