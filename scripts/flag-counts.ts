// `node scripts/run-script.mjs scripts/flag-counts.ts`: segments the 21 diseased OCTDL scans and the 60
// normal OCTID scans in ../shared/data through the app's engine (worker, flip check, post-processing,
// summary) and prints how many of each are flagged "needs review", each flagged scan's reasons, and the
// normals' distribution of every rule's measure beside its threshold (the basis of QUALITY_RULES).
// STRATUM_FLAG_DATA overrides ../shared/data; STRATUM_PRECISION=float32|int8 picks the model's weights.
import { readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { needsReview, QUALITY_RULES, type QualityRule } from '../src-shared/analysis/segmentation';
import type { SegmentationSummary } from '../src-shared/domain/segmentation';
import { SegmentationService } from '../src-main/services/segmentation/segmentation-service';

const root = resolve(process.env.STRATUM_FLAG_DATA ?? '../shared/data');
const sets = [
  { name: 'diseased (octdl-diseased)', dir: join(root, 'octdl-diseased') },
  { name: 'normal (octid-unannotated)', dir: join(root, 'octid-unannotated') },
];
const imagesIn = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(jpe?g|png)$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();

function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo]! + (s[Math.min(s.length - 1, lo + 1)]! - s[lo]!) * (pos - lo);
}

void (async () => {
  const service = new SegmentationService();
  const summaries: { set: string; file: string; summary: SegmentationSummary }[] = [];
  const t0 = performance.now();
  for (const set of sets) {
    const files = imagesIn(set.dir);
    const results = await Promise.all(files.map((f) => service.segmentImage(f)));
    results.forEach((r, i) => summaries.push({ set: set.name, file: files[i]!, summary: r.summary }));
  }
  const seconds = (performance.now() - t0) / 1000;
  const status = service.status();
  await service.close();
  for (const set of sets) {
    const mine = summaries.filter((s) => s.set === set.name);
    const flagged = mine.filter((s) => needsReview(s.summary.flags));
    console.log(`\n${set.name}: ${flagged.length}/${mine.length} flagged "needs review" (${mine.filter((s) => s.summary.flags.likelyFailure).length} of them likely failures)`);
    for (const s of mine) {
      const f = s.summary.flags;
      const mark = f.likelyFailure ? 'FAILURE' : needsReview(f) ? 'review ' : 'ok     ';
      console.log(`  ${mark} ${basename(s.file).padEnd(22)} ${(f.findings ?? []).map((x) => `[${x.code}] ${x.message}`).join('; ')}`);
    }
  }
  const normals = summaries.filter((s) => s.set === sets[1]!.name);
  console.log('\nnormal scans: each rule\'s measure (p50 / p99 / max) and its threshold');
  for (const [key, rule] of Object.entries(QUALITY_RULES) as [string, QualityRule][]) {
    const values = normals.map((s) => s.summary.flags.measures?.[rule.code]).filter((v): v is number => typeof v === 'number');
    const threshold = rule.above !== undefined ? `> ${rule.above}` : rule.below !== undefined ? `< ${rule.below}` : `outside ${rule.outside?.join('-')}`;
    const f = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(3)).toString() : '-');
    console.log(`  ${key.padEnd(22)} ${rule.code.padEnd(24)} ${f(quantile(values, 0.5)).padStart(8)} ${f(quantile(values, 0.99)).padStart(8)} ${f(Math.max(...values)).padStart(8)}   threshold ${threshold} (${values.length} measured)`);
  }
  const st = status;
  console.log(`\n${summaries.length} scans in ${seconds.toFixed(1)} s (${((seconds * 1000) / summaries.length).toFixed(0)} ms per scan, flip check ${process.env.STRATUM_FLIP_CHECK === '0' ? 'off' : process.env.STRATUM_FLIP_CHECK === 'always' ? 'on every scan' : `gated, ran on ${summaries.filter((s) => s.summary.timings.runsPerImage === 2).length}`}); model ${st.model?.id ?? '?'} ${st.model?.version ?? ''}, ${JSON.stringify({ engine: st.engine, executionProvider: st.executionProvider, ...('precision' in st ? { precision: (st as { precision?: string }).precision } : {}) })}`);
})();
