import type { Handlers } from '../dispatcher';
import type { Services } from '../../services/container';

/** Corrections of what an import could not know (services/catalog/scan-edits.ts). */
export function metadataHandlers(s: Services): Pick<Handlers, 'catalog.updateScans'> {
  return {
    'catalog.updateScans': async ({ scanIds, changes }) => {
      const result = await s.scanEdits.update(scanIds, changes);
      if (result.changedScans > 0 || result.recomputedSegmentations > 0) s.bus.emit('catalog.changed', { reason: 'edit', scanIds: result.scanIds });
      return result;
    },
  };
}
