import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { haveSharedData, sharedData } from '../../../test-support/shared-data';
import { packageRoot } from '../../resources';
import { SegmentationService } from './segmentation-service';

// Runs the bundled worker (dist/main/workers/inference.worker.cjs); `npm test` builds before unit tests.
const built = existsSync(join(packageRoot(), 'dist', 'main', 'workers', 'inference.worker.cjs'));
const dataDir = sharedData('octid-unannotated', 'NORMAL');
const haveData = haveSharedData('octid-unannotated', 'NORMAL');

describe.skipIf(!built || !haveData)('inference worker', () => {
  const images = haveData ? readdirSync(dataDir).sort().slice(0, 6).map((f) => join(dataDir, f)) : [];

  it('segments images with one model load, reports engine and scale, and cancels queued requests', async () => {
    const service = new SegmentationService({ modelId: 'stratum-placeholder' });
    try {
      expect(service.status().model?.trained).toBe(false);
      expect(service.status().problem).toMatch(/untrained/);
      const status = await service.load();
      expect(status.executionProvider).toBeTruthy();
      const first = await service.segmentImage(images[0]!);
      expect(first.labels.length).toBe(first.width * first.height);
      expect(first.summary.model).toMatchObject({ id: 'stratum-placeholder', trained: false });
      expect(first.summary.scale.provenance).toBe(first.width === 750 && first.height === 500 ? 'device-profile' : 'unknown');
      expect(Object.keys(first.summary.timings)).toEqual(expect.arrayContaining(['decode', 'preprocess', 'inference', 'postprocess', 'thickness']));

      const controller = new AbortController();
      const runs = images.map((f) => service.segmentImage(f, { signal: controller.signal }));
      // cancel once the first result is back: the rest are waiting in the worker's queue
      await Promise.race(runs.map((p) => p.catch(() => undefined)));
      controller.abort();
      const settled = await Promise.allSettled(runs);
      expect(settled.filter((s) => s.status === 'fulfilled').length).toBeGreaterThan(0);
      const cancelled = settled.filter((s) => s.status === 'rejected' && (s.reason as { code?: string }).code === 'CANCELLED');
      expect(cancelled.length).toBeGreaterThan(0);
      // the worker keeps serving after a cancel
      const again = await service.segmentImage(images[1]!);
      expect(again.summary.width).toBe(again.width);
    } finally {
      await service.close();
    }
  });
});
