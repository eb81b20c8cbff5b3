import { isAbsolute, join } from 'node:path';
import { AppError } from '../../../src-shared/contract';
import type { ScanFilter } from '../../../src-shared/domain/catalog';
import type { JobContext, JobRunner } from '../../jobs/job-runner';
import { checkOutputFile, prepareOutputDir, writeFileAtomic, writeFileAtomicAsync } from '../files/atomic-write';
import { currentActor, type AuditLog } from '../catalog/audit';
import type { CatalogDb } from '../catalog/database';
import type { ReportsRepo } from '../catalog/reports';
import { exportScansFor, reportInputForScan, type ReportCatalog } from './catalog-source';
import { composeReportSvg } from './layout';
import { PdfFileWriter, svgPagesToPdf, svgToPng, type Paper } from './render';
import { thicknessCsv, thicknessJson, thicknessRows } from './thickness-export';
import type { BatchReportResult } from '../../../src-shared/contract/channels/jobs';
import { countOf } from '../../../src-shared/domain/wording';

export type ReportFormat = 'pdf' | 'png';

export interface ReportServiceDeps {
  catalog: ReportCatalog;
  jobs: JobRunner;
  db: CatalogDb;
  audit: AuditLog;
  reports: ReportsRepo;
  /** Default folder for reports and exports (the data folder's `reports/`). */
  reportsDir: string;
  appVersion: string;
}

/** The contract's `reports.batch` job result (one declaration, contract/channels/jobs.ts). */
export type BatchResult = BatchReportResult;

/** Single-scan reports, batch report jobs and thickness exports over the catalog. */
export class ReportService {
  constructor(private readonly d: ReportServiceDeps) {}

  /** Renders one scan's report to `path` (default: the reports folder) and records it. */
  async exportScan(scanId: number, format: ReportFormat, path?: string, paper: Paper = 'a4'): Promise<{ path: string }> {
    const target = this.target(path, `scan-${scanId}-${stamp()}.${format}`);
    checkOutputFile(target, 'report');
    const input = await reportInputForScan(this.d.catalog, scanId, this.d.appVersion);
    const svg = composeReportSvg(input);
    const bytes = format === 'pdf' ? await svgPagesToPdf([svg], { title: `Stratum report: ${input.scan.name}`, paper }) : await svgToPng(svg);
    await writeFileAtomicAsync(target, bytes);
    this.record(scanId, format, target);
    return { path: target };
  }

  /** Starts a batch job: one PDF per scan into `outDir`, or one combined PDF. Progress per scan; cancellable. */
  startBatch(scanIds: number[], combined: boolean, outDir?: string, paper: Paper = 'a4'): string {
    const dir = this.target(outDir, `batch-${stamp()}`);
    prepareOutputDir(dir, 'reports');
    return this.d.jobs.start('reports.batch', `Reports for ${countOf(scanIds.length, 'scan')}`, (ctx) => this.runBatch(ctx, scanIds, combined, dir, paper));
  }

  async runBatch(ctx: JobContext, scanIds: number[], combined: boolean, dir: string, paper: Paper = 'a4'): Promise<BatchResult> {
    prepareOutputDir(dir, 'reports');
    const result: BatchResult = { files: [], failed: [] };
    const combinedFile = join(dir, 'reports.pdf');
    const writer = combined ? new PdfFileWriter(combinedFile, { title: `Stratum reports (${scanIds.length} scans)`, paper }) : null;
    const included: number[] = [];
    try {
      for (const [i, scanId] of scanIds.entries()) {
        await ctx.progress(i / (scanIds.length + (combined ? 1 : 0)), 'Rendering reports', `scan ${scanId} (${i + 1}/${scanIds.length})`);
        try {
          const input = await reportInputForScan(this.d.catalog, scanId, this.d.appVersion);
          const svg = composeReportSvg(input);
          if (writer) {
            writer.addPage(svg);
            included.push(scanId);
          } else {
            const file = join(dir, `scan-${scanId}.pdf`);
            await writeFileAtomicAsync(file, await svgPagesToPdf([svg], { title: `Stratum report: ${input.scan.name}`, paper }));
            this.record(scanId, 'pdf', file);
            result.files.push(file);
          }
        } catch (error) {
          if (error instanceof AppError && error.code === 'CANCELLED') throw error;
          result.failed.push({ scanId, message: (error as Error).message });
        }
      }
      if (writer) await ctx.progress(scanIds.length / (scanIds.length + 1), 'Writing combined PDF');
    } catch (error) {
      await writer?.abort();
      throw error;
    }
    if (writer) {
      if (included.length === 0) await writer.abort();
      else {
        await writer.close();
        for (const scanId of included) this.record(scanId, 'pdf-combined', combinedFile);
        result.files.push(combinedFile);
      }
    }
    return result;
  }

  /** Writes the thickness summaries of a selection as CSV or JSON (one row per scan x zone x layer). */
  exportThickness(filter: ScanFilter, format: 'csv' | 'json', path?: string): { path: string; rows: number; scans: number; skipped: number[] } {
    const target = this.target(path, `thickness-${stamp()}.${format}`);
    checkOutputFile(target, 'export');
    const { items, skipped } = exportScansFor(this.d.catalog, filter);
    const rows = thicknessRows(items);
    writeFileAtomic(target, format === 'csv' ? thicknessCsv(rows) : thicknessJson(rows));
    this.d.audit.record(currentActor(), 'export', null, { kind: `thickness-${format}`, path: target, scans: items.length });
    return { path: target, rows: rows.length, scans: items.length, skipped };
  }

  private target(path: string | undefined, defaultName: string): string {
    if (path !== undefined && !isAbsolute(path)) throw new AppError('VALIDATION', `The output path must be absolute: ${path}`);
    return path ?? join(this.d.reportsDir, defaultName);
  }

  private record(scanId: number, kind: string, path: string): void {
    // the report is made from the current segmentation, which a later re-run must then keep (keptBecause)
    const seg = this.d.catalog.segmentations.currentSegmentation(scanId);
    const actor = currentActor();
    this.d.db.transaction(() => {
      this.d.reports.insert({ scanId, segmentationId: seg?.id ?? null, kind, path, actor });
      this.d.audit.record(actor, 'export', scanId, { kind: `report-${kind}`, path, segmentationId: seg?.id ?? null });
    })();
  }
}

function stamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
}
