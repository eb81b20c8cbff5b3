/**
 * `stratum segment --scan ID` on a series of several B-scans (issue 16): every B-scan through the one
 * inference worker, with progress per B-scan; a run stopped part-way is resumed by running it again.
 */
import { SeriesRepo } from '../services/catalog/series';
import type { Services } from '../services/container';
import type { SegmentationService } from '../services/segmentation/segmentation-service';
import { segmentSeries, type SeriesRun } from '../services/segmentation/series-segmentation';
import { runJobWithProgress } from './progress';

type Repos = Pick<Services, 'db' | 'scans' | 'segmentations' | 'library' | 'jobs' | 'bus' | 'catalog'>;

/** The ids among `ids` whose scan is a series of several B-scans. */
export function seriesIds(s: Pick<Services, 'scans'>, ids: readonly number[]): number[] {
  return ids.filter((id) => s.scans.require(id).bscanCount > 1);
}

/** Segments each series B-scan by B-scan, one job per series (its progress per B-scan on stderr). */
export async function segmentSeriesScans(s: Repos, service: SegmentationService, ids: readonly number[]): Promise<SeriesRun[]> {
  const deps = { segmentation: service, scans: s.scans, segmentations: s.segmentations, series: new SeriesRepo(s.db), library: s.library, catalog: s.catalog };
  const runs: SeriesRun[] = [];
  for (const id of ids) {
    const n = s.scans.require(id).bscanCount;
    const r = await runJobWithProgress(s, 'segment', `Segment ${n} B-scans of scan ${id}`, (ctx) => segmentSeries(deps, id, ctx), { stageLines: true });
    runs.push({ ...r, bscans: r.bscans ?? { total: n, segmented: 0, skipped: 0 } });
  }
  return runs;
}

/** "scan 9: 145 B-scans, 140 segmented now, 5 done before (resumed)". */
export function seriesRunLine(r: SeriesRun): string {
  const { total, segmented, skipped } = r.bscans;
  return `scan ${r.scanId}: ${total} B-scans, ${segmented} segmented now${skipped ? `, ${skipped} done before by this model version (resumed)` : ''}\n`;
}
