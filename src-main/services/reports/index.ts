import { join } from 'node:path';
import { version } from '../../../package.json';
import type { JobRunner } from '../../jobs/job-runner';
import type { AuditLog } from '../catalog/audit';
import type { CatalogDb } from '../catalog/database';
import { ReportsRepo } from '../catalog/reports';
import type { ReportCatalog } from './catalog-source';
import { ReportService } from './report-service';

export { ReportService, type BatchResult, type ReportFormat } from './report-service';
export { composeReportSvg, DISCLAIMER, PAGE } from './layout';
export { prepareReportImage, renderReportPdf, renderReportPng, svgPagesToPdf, svgToPng, type Paper } from './render';
export type { ReportInput, ReportReview, ReportScanInfo } from './report-input';
export { thicknessCsv, thicknessJson, thicknessRows, THICKNESS_COLUMNS, type ThicknessRow } from './thickness-export';

/** Builds the report service from the container's parts (reports go to `<data folder>/reports` by default). */
export function createReportService(s: ReportCatalog & { jobs: JobRunner; db: CatalogDb; audit: AuditLog; folder: { home: string } }): ReportService {
  return new ReportService({
    catalog: s,
    jobs: s.jobs,
    db: s.db,
    audit: s.audit,
    reports: new ReportsRepo(s.db),
    reportsDir: join(s.folder.home, 'reports'),
    appVersion: version,
  });
}
