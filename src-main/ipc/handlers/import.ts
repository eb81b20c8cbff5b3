import type { Handlers } from '../dispatcher';
import type { Services } from '../../services/container';
import { join } from 'node:path';
import type { ImportOptions } from '../../services/import/import-service';
import { checkSource } from '../../services/import/scanner';
import { resourcesDir } from '../../resources';
import { userPath } from '../../services/files/user-path';
import { BulkActions } from '../../services/bulk/bulk-actions';
import { createReportService } from '../../services/reports';
import type { ImportResult } from '../../../src-shared/domain/catalog';
import { countOf } from '../../../src-shared/domain/wording';

export function importHandlers(s: Services): Pick<Handlers, 'import.dryRun' | 'import.start' | 'import.samples'> {
  // a path typed in the app's field: `~/Downloads` is the home folder, not a "~" folder beside the app
  const start = (typed: string, title: string, options: ImportOptions = {}) => {
    const path = userPath(typed);
    checkSource(path);
    const { segment, ...rest } = options;
    return {
      jobId: s.jobs.start('import', title, async (ctx) => {
        const result = await s.importer.run(path, rest, ctx);
        if (segment) result.segmentation = segmentAfterImport(result.scanIds);
        return result;
      }),
    };
  };
  // "Segment after import" runs as a job of its own, listed in Jobs with its progress, once the import is
  // done: the import does not wait for it, and nothing says "queued" once it has finished
  const bulk = new BulkActions(s, createReportService(s));
  const segmentAfterImport = (scanIds: number[]): NonNullable<ImportResult['segmentation']> => {
    const engine = s.segmentation.status();
    if (!engine.model) return { requested: true, available: false, message: `not available: ${engine.problem ?? 'no model'}`, queued: 0 };
    if (scanIds.length === 0) return { requested: true, available: true, message: 'no new scans to segment', queued: 0 };
    const jobId = bulk.segmentJob(scanIds);
    return { requested: true, available: true, message: `segmenting ${countOf(scanIds.length, 'new scan')} as a job of its own`, queued: scanIds.length, jobId };
  };
  return {
    'import.samples': async () => start(join(resourcesDir(), 'samples'), 'Import sample scans'),
    'import.dryRun': async ({ path, onPatientConflict }) => s.importer.dryRun(userPath(path), undefined, { onPatientConflict }),
    'import.start': async ({ path, segment, onPatientConflict }) => start(path, `Import ${path}`, { segment, onPatientConflict }),
  };
}
