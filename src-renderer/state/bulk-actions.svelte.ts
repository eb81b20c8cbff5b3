import { AppError } from '../../src-shared/contract/errors';
import type { SelectionCount } from '../../src-shared/contract/channels/bulk';
import type { AnyJobProgress, JobKind } from '../../src-shared/contract/channels/jobs';
import type { ScanSelection, SegmentScope } from '../../src-shared/domain/scan-selection';
import { api } from '../api/client';
import { describeError } from '../api/messages';
import { bulkSelection } from './bulk-selection.svelte';
import { trackJob } from './jobs.svelte';

/** What a job line shows of a tracked job of any kind (components/catalog/BulkJobLine.svelte). */
export interface JobLineSource {
  readonly kind: JobKind;
  readonly job: AnyJobProgress | undefined;
  readonly running: boolean;
  readonly startError: string | null;
  cancel(): void;
  reset(): void;
}

/**
 * The catalog's bulk actions over `bulkSelection`, each a job followed with the one `trackJob` (progress,
 * cancel, its typed result). Actions that take scans out of view (trash, restore, purge) clear the
 * selection once done; the catalog list follows every change they commit through catalog.changed.
 */
export class BulkActionsState {
  readonly segment = trackJob('bulk.segment');
  readonly report = trackJob('reports.batch');
  readonly exportTable = trackJob('bulk.export-csv');
  readonly tag = trackJob('bulk.tag');
  readonly trash = trackJob('bulk.delete', { onEnd: () => this.#leftView() });
  readonly restore = trackJob('bulk.restore', { onEnd: () => this.#leftView() });
  readonly purge = trackJob('bulk.purge', { onEnd: () => this.#leftView() });
  /** In the order their lines are shown. */
  readonly all: readonly JobLineSource[] = [this.segment, this.report, this.exportTable, this.tag, this.trash, this.restore, this.purge];

  /** The selection's size now, its unsegmented and trashed scans (bulk.count). */
  count = $state.raw<SelectionCount | null>(null);
  /** Asked before re-segmenting corrected or signed-off scans; the scope waits here for the answer. */
  resegment = $state.raw<{ question: string; scope: SegmentScope } | null>(null);
  /** Purge asks first: the number it would remove for good. */
  purgeAsk = $state<number | null>(null);
  error = $state<string | null>(null);
  #countSeq = 0;

  async refreshCount(): Promise<void> {
    const selection = bulkSelection.toSelection();
    const seq = ++this.#countSeq;
    if (!selection) {
      this.count = null;
      return;
    }
    try {
      const count = await api.invoke('bulk.count', { selection });
      if (seq === this.#countSeq) this.count = count;
    } catch {
      if (seq === this.#countSeq) this.count = null;
    }
  }

  startSegment(scope: SegmentScope, force = false): void {
    this.#run(async (selection) => {
      await this.segment.start(async () => {
        try {
          const started = await api.invoke('bulk.segment', { selection, scope, force: force || undefined });
          this.resegment = null;
          return started;
        } catch (error) {
          if (error instanceof AppError && error.code === 'CONFIRMATION_REQUIRED') this.resegment = { question: error.message, scope };
          throw error;
        }
      });
      // the question is shown instead of the refusal
      if (this.resegment) this.segment.startError = null;
    });
  }

  startReport(): void {
    this.#run((selection) => this.report.start(() => api.invoke('bulk.report', { selection, combined: true })));
  }

  startExport(): void {
    this.#run((selection) => this.exportTable.start(() => api.invoke('bulk.exportCsv', { selection, format: 'csv' })));
  }

  startTag(tag: string, remove: boolean): void {
    this.#run((selection) => this.tag.start(() => api.invoke('bulk.tag', { selection, tag, remove: remove || undefined })));
  }

  startTrash(): void {
    this.#run((selection) => this.trash.start(() => api.invoke('bulk.delete', { selection })));
  }

  startRestore(): void {
    this.#run((selection) => this.restore.start(() => api.invoke('bulk.restore', { selection })));
  }

  /** First call asks (purgeAsk); the confirmed call purges. */
  startPurge(confirmed: boolean): void {
    if (!confirmed) {
      this.purgeAsk = bulkSelection.size;
      return;
    }
    this.purgeAsk = null;
    this.#run((selection) => this.purge.start(() => api.invoke('bulk.purge', { selection, confirm: true })));
  }

  /** The ids of the selection for the metadata form (catalog.updateScans takes at most 500). */
  async resolveIds(): Promise<number[]> {
    const selection = bulkSelection.toSelection();
    if (!selection) return [];
    if (selection.kind === 'ids') return selection.ids;
    return (await api.invoke('bulk.resolve', { selection, max: 500 })).ids;
  }

  #run(start: (selection: ScanSelection) => Promise<void>): void {
    const selection = bulkSelection.toSelection();
    this.error = null;
    if (!selection) return;
    start(selection).catch((error: unknown) => (this.error = describeError(error)));
  }

  #leftView(): void {
    bulkSelection.clear();
  }
}

export const bulkActions = new BulkActionsState();
