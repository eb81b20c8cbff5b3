import type { Handlers } from '../dispatcher';
import type { Services } from '../../services/container';

export function segmentHandlers(s: Services): Pick<Handlers, 'segment.scan' | 'segment.status'> {
  return {
    'segment.scan': async ({ scanId }) => {
      s.scans.require(scanId);
      return {
        jobId: s.jobs.start('segment', `Segment scan ${scanId}`, async (ctx) => {
          const [r] = await s.segmentation.segmentScans([scanId], ctx);
          return { scanId, segmentationId: r!.segmentationId };
        }),
      };
    },
    'segment.status': async ({ load }) => {
      if (load) await s.segmentation.load();
      return { ...s.segmentation.status(), fallbacks: s.segmentation.fallbacks };
    },
  };
}
