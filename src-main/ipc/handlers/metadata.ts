import type { Handlers } from '../dispatcher';
import type { Services } from '../../services/container';

/** Corrections of what an import could not know (services/catalog/scan-edits.ts, through the catalog service). */
export function metadataHandlers(s: Services): Pick<Handlers, 'catalog.updateScans'> {
  return {
    'catalog.updateScans': async ({ scanIds, changes }) => s.catalog.updateScans(scanIds, changes),
  };
}
