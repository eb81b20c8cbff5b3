import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { haveSharedData, sharedData } from '../../../test-support/shared-data';
import { packageRoot } from '../../resources';
import { SegmentationService } from './segmentation-service';

// Runs the bundled workers (dist/main/workers: inference + its post-processing thread); `npm test` builds first.
const built = existsSync(join(packageRoot(), 'dist', 'main', 'workers', 'postprocess.worker.cjs'));
const haveData = haveSharedData('octid-unannotated', 'NORMAL') && haveSharedData('octdl-diseased', 'amd');

async function segmentAll(files: string[], batchSize: number) {
  const service = new SegmentationService({ batchSize });
  try {
    return await Promise.all(files.map((f) => service.segmentImage(f)));
  } finally {
    await service.close();
  }
}

describe.skipIf(!built || !haveData)('post-processing in its own thread (real model, real scans)', () => {
  it('gives every image its own result, the same whether the network ran them one by one or in batches of 3', async () => {
    const normal = readdirSync(sharedData('octid-unannotated', 'NORMAL')).sort().slice(0, 4).map((f) => sharedData('octid-unannotated', 'NORMAL', f));
    const amd = readdirSync(sharedData('octdl-diseased', 'amd')).sort().slice(0, 3).map((f) => sharedData('octdl-diseased', 'amd', f));
    const files = [...normal, ...amd];
    const one = await segmentAll(files, 1);
    const three = await segmentAll(files, 3);
    expect(three.map((r) => r.summary.timings.batch)).toContain(3);
    for (let i = 0; i < files.length; i++) {
      // batch 3 splits one output buffer into per-image copies for the post-processing thread
      expect(Buffer.from(three[i]!.labels).equals(Buffer.from(one[i]!.labels))).toBe(true);
      expect(three[i]!.summary.flags.findings).toEqual(one[i]!.summary.flags.findings);
      expect(three[i]!.summary.total).toEqual(one[i]!.summary.total);
    }
    // the diseased scans are flagged and the normal ones not: each result belongs to its own image
    expect(one.map((r) => r.summary.flags.needsReview)).toEqual([false, false, false, false, true, true, true]);
  });
});
