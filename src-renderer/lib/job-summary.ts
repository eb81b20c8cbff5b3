import { failuresOf, isJobOf, type AnyJobProgress } from '../../src-shared/contract/channels/jobs';
import { countOf } from '../../src-shared/domain/wording';

/** A job's outcome as the Jobs list and the panels colour it: a done job with failures is not a plain "done". */
export type JobOutcome = 'queued' | 'running' | 'done' | 'done-with-failures' | 'failed' | 'cancelled';

export function outcomeOf(job: AnyJobProgress): JobOutcome {
  if (job.state === 'done' && failuresOf(job) > 0) return 'done-with-failures';
  return job.state;
}

/** The badge's words: "done with failures" rather than a green DONE over 4 failed files. */
export const OUTCOME_LABEL: Readonly<Record<JobOutcome, string>> = {
  queued: 'queued',
  running: 'running',
  done: 'done',
  'done-with-failures': 'done with failures',
  failed: 'failed',
  cancelled: 'cancelled',
};

/** One line on what a finished job did, in counted words ("1 duplicate", "10 scans"); '' while it runs. */
export function resultLine(job: AnyJobProgress): string {
  if (job.state !== 'done' || job.result === undefined) return '';
  if (isJobOf(job, 'import') && job.result) {
    const r = job.result;
    return [
      `${r.imported} new`,
      r.restored ? `${r.restored} restored` : '',
      countOf(r.duplicates, 'duplicate'),
      r.failed.length ? `${r.failed.length} failed` : '',
    ].filter(Boolean).join(', ');
  }
  if (isJobOf(job, 'bulk.segment') && job.result) {
    const r = job.result;
    return [`${countOf(r.segmented.length, 'scan')} segmented`, r.skipped.length ? `${r.skipped.length} already segmented, left as they were` : '', r.failed.length ? `${r.failed.length} failed` : '']
      .filter(Boolean).join(', ');
  }
  if (isJobOf(job, 'reports.batch') && job.result) {
    const r = job.result;
    return `${countOf(r.files.length, 'file')} written${r.failed.length ? `, ${countOf(r.failed.length, 'scan')} skipped (not segmented)` : ''}`;
  }
  if (isJobOf(job, 'bulk.export-csv') && job.result) {
    const r = job.result;
    return `${countOf(r.rows, 'row')} for ${countOf(r.scans, 'scan')}${r.skipped.length ? `, ${countOf(r.skipped.length, 'scan')} without a segmentation left out` : ''}: ${r.path}`;
  }
  if (isJobOf(job, 'bulk.tag') && job.result) {
    const r = job.result;
    return `"${r.tag}" ${r.removed ? 'removed from' : 'added to'} ${countOf(r.changed.length, 'scan')}${r.unchanged ? ` (${r.unchanged} ${r.removed ? 'did not have it' : 'had it already'})` : ''}`;
  }
  if ((isJobOf(job, 'bulk.delete') || isJobOf(job, 'bulk.restore')) && job.result) {
    const r = job.result;
    return `${countOf(r.scanIds.length, 'scan')} ${job.kind === 'bulk.delete' ? 'moved to the trash' : 'restored'}`;
  }
  if (isJobOf(job, 'bulk.purge') && job.result) {
    const r = job.result;
    return `${countOf(r.purged.length, 'scan')} purged, ${countOf(r.filesRemoved, 'library file')} removed${r.filesKept ? `, ${r.filesKept} kept (still used)` : ''}${r.notInTrash.length ? `; ${r.notInTrash.length} not in the trash left alone` : ''}`;
  }
  if (isJobOf(job, 'check-data-folder') && job.result) {
    const r = job.result;
    const problems = failuresOf(job);
    return problems === 0 ? `${countOf(r.libraryFiles, 'library file')} checked, no problems` : `${countOf(problems, 'problem')} found, ${countOf(r.affectedScans?.length ?? 0, 'scan')} affected`;
  }
  return '';
}
