import { join } from 'node:path';
import { AppError } from '../../../src-shared/contract/errors';
import type { BulkExportResult, BulkPurgeResult, BulkSegmentResult, BulkTagResult, BulkTrashResult, SelectionCount } from '../../../src-shared/contract/channels/bulk';
import { tagProblem, type ScanSelection, type SegmentScope } from '../../../src-shared/domain/scan-selection';
import { countOf } from '../../../src-shared/domain/wording';
import type { JobContext } from '../../jobs/job-runner';
import type { Services } from '../container';
import { currentActor } from '../catalog/audit';
import type { CatalogChangeReason } from '../catalog/catalog-service';
import { countSelection, requireSelection, resolveSelection } from '../catalog/selection';
import { CatalogTrash, type ChangeCount } from '../catalog/trash';
import { checkOutputFile, writeFileAtomic } from '../files/atomic-write';
import { reviewOf, scanInfo } from '../reports/catalog-source';
import type { ReportService } from '../reports/report-service';
import type { Paper } from '../reports/render';
import { thicknessCsv, thicknessJson, thicknessRows, type ExportScan } from '../reports/thickness-export';
import { requireResegmentConsent } from '../segmentation/resegment-consent';

/** Scans per database step (one transaction, one catalog.changed): small enough to cancel between. */
const DB_CHUNK = 100;
/** Scans handed to the inference worker at once (it batches them); progress and cancel fall between. */
const SEGMENT_CHUNK = 8;

type BulkDeps = Pick<Services, 'db' | 'jobs' | 'catalog' | 'scans' | 'segmentations' | 'segmentation' | 'audit' | 'library' | 'patients' | 'folder'>;

/**
 * The catalog's bulk actions over a selection: each resolves the selection when asked, refuses an empty
 * one (NOT_FOUND) and runs as a job whose progress goes out per chunk and which stops at the next chunk
 * when cancelled (what was done by then stays done, and the catalog says so through catalog.changed).
 */
export class BulkActions {
  private readonly trash: CatalogTrash;

  constructor(
    private readonly s: BulkDeps,
    private readonly reports: ReportService,
  ) {
    this.trash = new CatalogTrash(s);
  }

  count(selection: ScanSelection): SelectionCount {
    return countSelection(this.s.db, this.s.scans, selection);
  }

  /** The ids for an action that takes ids (the metadata form); TOO_LARGE above `max`. */
  resolve(selection: ScanSelection, max: number): number[] {
    const ids = resolveSelection(this.s.scans, selection);
    if (ids.length > max) throw new AppError('TOO_LARGE', `The selection holds ${ids.length} scans; this action takes at most ${max}. Narrow the filter.`, { scans: ids.length, max });
    return ids;
  }

  /** Segments the selection (or its unsegmented scans); asks first for corrected or signed-off scans unless forced. */
  startSegment(selection: ScanSelection, scope: SegmentScope, force = false): string {
    const all = requireSelection(this.s.scans, selection);
    const ids = scope === 'all' ? all : all.filter((id) => this.s.scans.get(id)?.reviewState === 'not-segmented');
    const skipped = scope === 'all' ? [] : all.filter((id) => !ids.includes(id));
    if (ids.length === 0) throw new AppError('NOT_FOUND', `All ${countOf(all.length, 'selected scan')} are segmented already; nothing to do.`);
    requireResegmentConsent(this.s.segmentations, ids, force);
    return this.segmentJob(ids, skipped, `Segment ${countOf(ids.length, scope === 'all' ? 'scan' : 'unsegmented scan')}`);
  }

  /** Segments scans known by id (the scans an import just added) as a job of its own, listed with the others. */
  segmentJob(ids: number[], skipped: number[] = [], title = `Segment ${countOf(ids.length, 'new scan')}`): string {
    return this.s.jobs.start('bulk.segment', title, (ctx) => this.segment(ctx, ids, skipped));
  }

  startReport(selection: ScanSelection, combined: boolean, paper?: Paper): string {
    const ids = requireSelection(this.s.scans, selection);
    if (ids.length > 5000) throw new AppError('TOO_LARGE', `A batch report takes at most 5000 scans; the selection holds ${ids.length}. Narrow the filter.`);
    return this.reports.startBatch(ids, combined, undefined, paper);
  }

  startExport(selection: ScanSelection, format: 'csv' | 'json' = 'csv'): string {
    const ids = requireSelection(this.s.scans, selection);
    const path = join(this.s.folder.home, 'reports', `thickness-${stamp()}.${format}`);
    checkOutputFile(path, 'export');
    return this.s.jobs.start('bulk.export-csv', `Export the thickness of ${countOf(ids.length, 'scan')} (${format.toUpperCase()})`, (ctx) => this.exportTable(ctx, ids, format, path));
  }

  startTag(selection: ScanSelection, tag: string, remove = false): string {
    const problem = tagProblem(tag);
    if (problem) throw new AppError('VALIDATION', `${problem}.`, { field: 'tag' });
    const clean = tag.trim();
    const ids = requireSelection(this.s.scans, selection);
    const title = `${remove ? 'Untag' : 'Tag'} ${countOf(ids.length, 'scan')} ${remove ? `(remove "${clean}")` : `"${clean}"`}`;
    return this.s.jobs.start('bulk.tag', title, async (ctx): Promise<BulkTagResult> => {
      const r = await this.inChunks(ctx, ids, remove ? 'Untagging' : 'Tagging', 'tag', (chunk, actor) => this.trash.setTag(chunk, clean, remove, actor));
      return { tag: clean, removed: remove, ...r };
    });
  }

  startDelete(selection: ScanSelection): string {
    const ids = requireSelection(this.s.scans, selection);
    return this.s.jobs.start('bulk.delete', `Move ${countOf(ids.length, 'scan')} to the trash`, async (ctx): Promise<BulkTrashResult> => {
      const r = await this.inChunks(ctx, ids, 'Moving to the trash', 'delete', (chunk, actor) => this.trash.moveToTrash(chunk, actor));
      return { scanIds: r.changed, unchanged: r.unchanged };
    });
  }

  startRestore(selection: ScanSelection): string {
    const ids = requireSelection(this.s.scans, selection);
    return this.s.jobs.start('bulk.restore', `Restore ${countOf(ids.length, 'scan')} from the trash`, async (ctx): Promise<BulkTrashResult> => {
      const r = await this.inChunks(ctx, ids, 'Restoring', 'restore', (chunk, actor) => this.trash.restore(chunk, actor));
      return { scanIds: r.changed, unchanged: r.unchanged };
    });
  }

  startPurge(selection: ScanSelection): string {
    const ids = requireSelection(this.s.scans, selection);
    return this.s.jobs.start('bulk.purge', `Purge ${countOf(ids.length, 'scan')} from the trash`, async (ctx): Promise<BulkPurgeResult> => {
      const out: BulkPurgeResult = { purged: [], notInTrash: [], filesRemoved: 0, filesKept: 0 };
      const actor = currentActor();
      for (let i = 0; i < ids.length; i += DB_CHUNK) {
        await ctx.progress(i / ids.length, 'Purging', `${i}/${ids.length}`);
        const step = this.trash.purge(ids.slice(i, i + DB_CHUNK), actor);
        out.purged.push(...step.purged);
        out.notInTrash.push(...step.notInTrash);
        out.filesRemoved += step.filesRemoved;
        out.filesKept += step.filesKept;
        this.s.catalog.changed('purge', step.purged);
      }
      return out;
    });
  }

  /** Runs `step` over the ids a chunk at a time (one transaction each), with progress and a catalog.changed per chunk. */
  private async inChunks(ctx: JobContext, ids: number[], stage: string, reason: CatalogChangeReason, step: (chunk: number[], actor: string) => ChangeCount): Promise<ChangeCount> {
    const actor = currentActor();
    const out: ChangeCount = { changed: [], unchanged: 0 };
    for (let i = 0; i < ids.length; i += DB_CHUNK) {
      await ctx.progress(i / ids.length, stage, `${i}/${ids.length}`);
      const r = step(ids.slice(i, i + DB_CHUNK), actor);
      out.changed.push(...r.changed);
      out.unchanged += r.unchanged;
      this.s.catalog.changed(reason, r.changed);
    }
    return out;
  }

  private async segment(ctx: JobContext, ids: number[], skipped: number[]): Promise<BulkSegmentResult> {
    const result: BulkSegmentResult = { segmented: [], skipped, failed: [] };
    await ctx.progress(0, 'Loading the model');
    for (let i = 0; i < ids.length; i += SEGMENT_CHUNK) {
      const chunk = ids.slice(i, i + SEGMENT_CHUNK);
      // the service reports 0..1 over its chunk; the job reports over the whole selection
      const chunkCtx: JobContext = {
        signal: ctx.signal,
        progress: (f, _stage, _detail) => {
          const done = i + Math.round((f ?? 0) * chunk.length);
          return ctx.progress(done / ids.length, 'Segmenting', `${done}/${ids.length}`);
        },
      };
      const runs = await this.s.segmentation.segmentScans(chunk, chunkCtx, { continueOnError: true });
      const stored = new Set(runs.map((r) => r.scanId));
      for (const id of chunk) {
        const problem = stored.has(id) ? null : await this.segmentAlone(id);
        if (problem === null) result.segmented.push(id);
        else result.failed.push({ scanId: id, message: problem });
      }
    }
    return result;
  }

  /** A scan the batch could not segment, tried once more alone: null when that worked, else its own error, which names what is wrong. */
  private async segmentAlone(scanId: number): Promise<string | null> {
    try {
      await this.s.segmentation.segmentScans([scanId]);
      return null;
    } catch (error) {
      if (error instanceof AppError && error.code === 'CANCELLED') throw error;
      return error instanceof Error ? error.message : String(error);
    }
  }

  private async exportTable(ctx: JobContext, ids: number[], format: 'csv' | 'json', path: string): Promise<BulkExportResult> {
    const items: ExportScan[] = [];
    const skipped: number[] = [];
    for (const [i, id] of ids.entries()) {
      if (i % 25 === 0) await ctx.progress(i / ids.length, 'Reading summaries', `${i}/${ids.length}`);
      const scan = this.s.scans.get(id);
      const seg = scan ? this.s.segmentations.currentSegmentation(id) : null;
      if (!scan || !seg?.summary) {
        skipped.push(id);
        continue;
      }
      items.push({ scan: scanInfo(this.s, scan), summary: seg.summary, review: reviewOf(seg) });
    }
    await ctx.progress(0.95, 'Writing', path);
    const rows = thicknessRows(items);
    writeFileAtomic(path, format === 'csv' ? thicknessCsv(rows) : thicknessJson(rows));
    this.s.audit.record(currentActor(), 'export', null, { kind: `thickness-${format}`, path, scans: items.length });
    return { path, format, rows: rows.length, scans: items.length, skipped };
  }
}

function stamp(): string {
  // to the millisecond: two exports in one second get two files
  return new Date().toISOString().replace(/[-:]/g, '').replace('.', '-').replace('Z', '');
}
