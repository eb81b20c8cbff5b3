/**
 * `stratum segment --scan ID` on a series of several B-scans (issue 16): every B-scan through the one
 * inference worker, with progress per B-scan; a run stopped part-way is resumed by running it again.
 */
import type { Services } from '../services/container';
import { segmentSeries, type SeriesRun } from '../services/segmentation/series-segmentation';
import { runJobWithProgress } from './progress';

type SeriesServices = Pick<Services, 'segmentation' | 'scans' | 'segmentations' | 'series' | 'library' | 'jobs' | 'bus' | 'catalog'>;

/** The ids among `ids` whose scan is a series of several B-scans. */
export function seriesIds(s: Pick<Services, 'scans'>, ids: readonly number[]): number[] {
  return ids.filter((id) => s.scans.require(id).bscanCount > 1);
}

/** Segments each series B-scan by B-scan, one job per series (its progress per B-scan on stderr). */
export async function segmentSeriesScans(s: SeriesServices, ids: readonly number[]): Promise<SeriesRun[]> {
  const runs: SeriesRun[] = [];
  for (const id of ids) {
    const n = s.scans.require(id).bscanCount;
    const r = await runJobWithProgress(s, 'segment', `Segment ${n} B-scans of scan ${id}`, (ctx) => segmentSeries(s, id, ctx), { stageLines: true });
    runs.push({ ...r, bscans: r.bscans ?? { total: n, segmented: 0, skipped: 0 } });
  }
  return runs;
}

/** "scan 9: 145 B-scans, 140 segmented now, 5 done before (resumed)". */
export function seriesRunLine(r: SeriesRun): string {
  const { total, segmented, skipped } = r.bscans;
  return `scan ${r.scanId}: ${total} B-scans, ${segmented} segmented now${skipped ? `, ${skipped} done before by this model version (resumed)` : ''}\n`;
}
