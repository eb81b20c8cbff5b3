import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { haveSharedData, sharedData } from '../../../test-support/shared-data';
import { packageRoot } from '../../resources';
import { SegmentationService } from './segmentation-service';

// Runs the bundled worker (dist/main/workers/inference.worker.cjs); `npm test` builds before unit tests.
const built = existsSync(join(packageRoot(), 'dist', 'main', 'workers', 'inference.worker.cjs'));
const NORMAL = ['octid-unannotated', 'NORMAL', 'NORMAL30.jpeg'] as const;
const DISEASED = ['octdl-diseased', 'macular_hole', 'vid_1416874_1.png'] as const;
const haveData = haveSharedData(...NORMAL) && haveSharedData(...DISEASED);

/** Segments with the worker started under STRATUM_FLIP_CHECK=mode (unset: the gate). */
async function segment(mode: string | undefined, ...parts: readonly string[]) {
  if (mode === undefined) delete process.env.STRATUM_FLIP_CHECK;
  else process.env.STRATUM_FLIP_CHECK = mode;
  const service = new SegmentationService();
  try {
    return (await service.segmentImage(sharedData(...parts))).summary;
  } finally {
    await service.close();
  }
}

describe.skipIf(!built || !haveData)('the flip check in the inference worker (real model, real scans)', () => {
  afterEach(() => delete process.env.STRATUM_FLIP_CHECK);

  it('skips the mirrored run for a confident normal scan and a scan flagged already; runs it on request, with the same other flags', async () => {
    const normal = await segment(undefined, ...NORMAL);
    expect(normal.timings.runsPerImage).toBe(1);
    expect(normal.flags.measures!['flip-disagreement']).toBeNull();
    expect(normal.flags.measures!['high-entropy']).toBeGreaterThan(0);

    const diseased = await segment(undefined, ...DISEASED);
    expect(diseased.flags.needsReview).toBe(true);
    expect(diseased.timings.runsPerImage).toBe(1);
    expect(diseased.flags.measures!['flip-disagreement']).toBeNull();

    const always = await segment('always', ...NORMAL);
    expect(always.timings.runsPerImage).toBe(2);
    expect(always.timings.flipCheck).toBeGreaterThan(0);
    const flip = always.flags.measures!['flip-disagreement']!;
    expect(flip).toBeGreaterThan(0);
    expect(flip).toBeLessThan(0.019); // a normal scan: the mirror of its answer, nearly
    expect(always.flags.findings).toEqual(normal.flags.findings);

    const diseasedAlways = await segment('always', ...DISEASED);
    expect(diseasedAlways.flags.measures!['flip-disagreement']).toBeGreaterThan(flip);
  });
});
