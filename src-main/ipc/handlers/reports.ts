import type { Handlers } from '../dispatcher';
import type { Services } from '../../services/container';
import { createReportService } from '../../services/reports';

type ReportChannel = 'reports.exportScan' | 'reports.batch' | 'reports.exportCsv';

export function reportHandlers(s: Services): Pick<Handlers, ReportChannel> {
  const reports = createReportService(s);
  return {
    'reports.exportScan': async ({ scanId, format, path, paper }) => reports.exportScan(scanId, format, path, paper),
    'reports.batch': async ({ scanIds, combined, outDir, paper }) => ({ jobId: reports.startBatch(scanIds, combined, outDir, paper) }),
    'reports.exportCsv': async ({ filter, format, path }) => reports.exportThickness(filter ?? {}, format ?? 'csv', path),
  };
}
