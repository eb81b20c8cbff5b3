import type { Handlers } from '../dispatcher';
import type { Services } from '../../services/container';
import { BulkActions } from '../../services/bulk/bulk-actions';
import { createReportService } from '../../services/reports';

type BulkChannel = 'bulk.count' | 'bulk.resolve' | 'bulk.segment' | 'bulk.report' | 'bulk.exportCsv' | 'bulk.tag' | 'bulk.delete' | 'bulk.restore' | 'bulk.purge';

/** Bulk actions over a catalog selection (services/bulk/bulk-actions.ts); each long one answers with its job. */
export function bulkHandlers(s: Services): Pick<Handlers, BulkChannel> {
  const bulk = new BulkActions(s, createReportService(s));
  return {
    'bulk.count': async ({ selection }) => bulk.count(selection),
    'bulk.resolve': async ({ selection, max }) => ({ ids: bulk.resolve(selection, max) }),
    'bulk.segment': async ({ selection, scope, force }) => ({ jobId: bulk.startSegment(selection, scope, force) }),
    'bulk.report': async ({ selection, combined, paper }) => ({ jobId: bulk.startReport(selection, combined, paper) }),
    'bulk.exportCsv': async ({ selection, format }) => ({ jobId: bulk.startExport(selection, format) }),
    'bulk.tag': async ({ selection, tag, remove }) => ({ jobId: bulk.startTag(selection, tag, remove) }),
    'bulk.delete': async ({ selection }) => ({ jobId: bulk.startDelete(selection) }),
    'bulk.restore': async ({ selection }) => ({ jobId: bulk.startRestore(selection) }),
    'bulk.purge': async ({ selection }) => ({ jobId: bulk.startPurge(selection) }),
  };
}
