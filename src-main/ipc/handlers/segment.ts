import type { Handlers } from '../dispatcher';
import type { Services } from '../../services/container';
import type { StoredSegmentation } from '../../services/catalog/segmentations';
import type { SegmentationView } from '../../../src-shared/contract/channels/segment';
import { saveCorrection } from '../../services/segmentation/corrections';

function toView(seg: StoredSegmentation): SegmentationView {
  return {
    segmentationId: seg.id,
    scanId: seg.scanId,
    kind: seg.kind,
    model: seg.modelId ? { id: seg.modelId, version: seg.modelVersion ?? '' } : null,
    createdAt: seg.createdAt,
    labelMapPngBase64: seg.labelMapPng.toString('base64'),
    summary: seg.summary,
    review: { status: seg.reviewStatus, by: seg.reviewedBy, at: seg.reviewedAt },
  };
}

export function segmentHandlers(s: Services): Pick<Handlers, 'segment.scan' | 'segment.status' | 'segment.get' | 'segment.review' | 'segment.saveCorrection'> {
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
    'segment.get': async ({ scanId, kind }) => {
      s.scans.require(scanId);
      const seg = s.segmentations.latestSegmentation(scanId, kind ?? 'model');
      return seg ? toView(seg) : null;
    },
    'segment.saveCorrection': async ({ scanId, baseSegmentationId, labelsBase64 }) => {
      const labels = new Uint8Array(Buffer.from(labelsBase64, 'base64'));
      const seg = toView(await saveCorrection(s, { scanId, baseSegmentationId, labels }));
      s.bus.emit('catalog.changed', { reason: 'review', scanIds: [scanId] });
      return seg;
    },
    'segment.review': async ({ segmentationId, status }) => {
      const seg = toView(s.segmentations.setReviewStatus(segmentationId, status));
      s.bus.emit('catalog.changed', { reason: 'review', scanIds: [seg.scanId] });
      return seg;
    },
    'segment.status': async ({ load }) => {
      if (load) await s.segmentation.load();
      return { ...s.segmentation.status(), fallbacks: s.segmentation.fallbacks };
    },
  };
}
