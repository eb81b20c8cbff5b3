// `node scripts/run-script.mjs scripts/flip-gate-evidence.ts`: the evidence behind the flip check's gate
// (src-shared/analysis/segmentation/flip-gate.ts). Segments every B-scan image in ../shared/data with the
// flip check forced on for all of them (STRATUM_FLIP_CHECK=always), and prints, per set, each scan's band
// entropy beside its flip disagreement, then for the gate: how many scans it would skip and whether any
// skipped scan's flip disagreement would have raised the flag. STRATUM_FLAG_DATA overrides ../shared/data.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FLIP_GATE, needsFlipCheck, QUALITY_RULES } from '../src-shared/analysis/segmentation';
import { SegmentationService } from '../src-main/services/segmentation/segmentation-service';

process.env.STRATUM_FLIP_CHECK = 'always';
const root = resolve(process.env.STRATUM_FLAG_DATA ?? '../shared/data');
const sets = [
  { name: 'octid-unannotated (normal)', dir: join(root, 'octid-unannotated') },
  { name: 'octid-deepeye (normal, annotated)', dir: join(root, 'octid-deepeye', 'images') },
  { name: 'octdl-diseased', dir: join(root, 'octdl-diseased') },
  { name: 'heyex-xml-volume (Spectralis B-scans)', dir: join(root, 'formats', 'heyex-xml-volume') },
];
const imagesIn = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(jpe?g|png|tiff?)$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();

void (async () => {
  const service = new SegmentationService();
  const flipLimit = QUALITY_RULES.flipDisagreement.above!;
  let skipped = 0, total = 0, missed = 0;
  for (const set of sets) {
    const files = imagesIn(set.dir);
    const rows = await Promise.all(files.map(async (f) => {
      const { summary } = await service.segmentImage(f);
      const m = summary.flags.measures ?? {};
      return { f, entropy: m['high-entropy'] ?? null, flip: m['flip-disagreement'] ?? null, flags: summary.flags };
    }));
    // lost: a scan the gate skips that the flip check alone would have put in the review queue;
    // unrecorded: a flip finding left out of a scan the first pass has flagged already (status unchanged)
    let setSkipped = 0, setMissed = 0, setUnrecorded = 0, maxSkippedFlip = 0;
    for (const r of rows) {
      // what the gate would decide from the first pass alone: the flags without the flip check's finding
      const first = { ...r.flags, findings: (r.flags.findings ?? []).filter((x) => x.code !== 'flip-disagreement') };
      first.needsReview = first.findings.some((x) => x.severity !== 'info');
      if (!needsFlipCheck(r.entropy, first)) {
        setSkipped++;
        if (first.needsReview) {
          if ((r.flip ?? 0) > flipLimit) setUnrecorded++;
        } else {
          maxSkippedFlip = Math.max(maxSkippedFlip, r.flip ?? 0);
          if ((r.flip ?? 0) > flipLimit) setMissed++;
        }
      }
    }
    const e = rows.map((r) => r.entropy ?? 0).sort((a, b) => a - b);
    const fl = rows.map((r) => r.flip ?? 0).sort((a, b) => a - b);
    const q = (s: number[], p: number) => s[Math.min(s.length - 1, Math.floor((s.length - 1) * p))]!.toFixed(4);
    console.log(`${set.name}: ${rows.length} scans; entropy p50 ${q(e, 0.5)} p99 ${q(e, 0.99)} max ${q(e, 1)}; flip p50 ${q(fl, 0.5)} p99 ${q(fl, 0.99)} max ${q(fl, 1)}`);
    console.log(`  gate skips ${setSkipped}/${rows.length}; largest flip disagreement among skipped unflagged scans ${maxSkippedFlip.toFixed(4)} (flag above ${flipLimit}); review flags lost: ${setMissed}; flip findings not recorded on scans flagged already: ${setUnrecorded}`);
    skipped += setSkipped; total += rows.length; missed += setMissed;
  }
  await service.close();
  console.log(`\nall: the gate (entropy above ${FLIP_GATE.entropyAbove}, or already needing review) skips the mirrored run for ${skipped}/${total} scans; scans the flip check alone would have flagged that the gate skips: ${missed}`);
})();
