import type { Handlers } from '../dispatcher';
import type { Services } from '../../services/container';
import type { StoredSegmentation } from '../../services/catalog/segmentations';
import type { SegmentationEntry, SegmentationView } from '../../../src-shared/contract/channels/segment';
import { currentOf, resegmentQuestion, reviewStateOf, segmentationName, type SegmentationFacts } from '../../../src-shared/domain/review';
import { requireResegmentConsent } from '../../services/segmentation/resegment-consent';
import { segmentSeries } from '../../services/segmentation/series-segmentation';

function entry(facts: SegmentationFacts, currentId: number | null): SegmentationEntry {
  const { id, kind, modelId, modelVersion, createdAt, correctedBy, signOff, flagged } = facts;
  return { id, kind, modelId, modelVersion, createdAt, correctedBy, signOff, flagged, name: segmentationName(facts), current: id === currentId };
}

function toView(seg: StoredSegmentation, currentId: number | null): SegmentationView {
  return {
    ...entry(seg, currentId),
    segmentationId: seg.id,
    scanId: seg.scanId,
    bscanIndex: seg.bscanIndex,
    model: seg.modelId ? { id: seg.modelId, version: seg.modelVersion ?? '' } : null,
    labelMapPngBase64: seg.labelMapPng.toString('base64'),
    summary: seg.summary,
  };
}

type SegmentChannels = 'segment.scan' | 'segment.status' | 'segment.get' | 'segment.history' | 'segment.signOff' | 'segment.saveCorrection';

export function segmentHandlers(s: Services): Pick<Handlers, SegmentChannels> {
  const currentId = (scanId: number, bscanIndex: number) => currentOf(s.segmentations.facts(scanId, bscanIndex))?.id ?? null;
  const view = (seg: StoredSegmentation) => toView(seg, currentId(seg.scanId, seg.bscanIndex));
  return {
    'segment.scan': async ({ scanId, force }) => {
      const scan = s.scans.require(scanId);
      requireResegmentConsent(s.segmentations, [scanId], force);
      if (scan.bscanCount > 1) return { jobId: s.jobs.start('segment', `Segment ${scan.bscanCount} B-scans of scan ${scanId}`, (ctx) => segmentSeries(s, scanId, ctx)) };
      return {
        jobId: s.jobs.start('segment', `Segment scan ${scanId}`, async (ctx) => {
          const [r] = await s.segmentation.segmentScans([scanId], ctx);
          return { scanId, segmentationId: r!.segmentationId, outcome: r!.outcome };
        }),
      };
    },
    'segment.get': async ({ scanId, kind, bscanIndex = 0 }) => {
      s.scans.require(scanId);
      const seg = kind === 'current' ? s.segmentations.currentSegmentation(scanId, bscanIndex) : s.segmentations.latestSegmentation(scanId, kind ?? 'model', bscanIndex);
      return seg ? view(seg) : null;
    },
    'segment.history': async ({ scanId, bscanIndex = 0 }) => {
      s.scans.require(scanId);
      const facts = s.segmentations.facts(scanId, bscanIndex);
      const current = currentOf(facts);
      return {
        scanId,
        state: reviewStateOf(current),
        currentId: current?.id ?? null,
        segmentations: facts.map((f) => entry(f, current?.id ?? null)),
        resegmentQuestion: resegmentQuestion(facts),
      };
    },
    'segment.saveCorrection': async ({ scanId, baseSegmentationId, labelsBase64 }) =>
      view(await s.catalog.saveCorrection({ scanId, baseSegmentationId, labels: new Uint8Array(Buffer.from(labelsBase64, 'base64')) })),
    'segment.signOff': async ({ segmentationId, withdraw }) => view(s.catalog.signOff(segmentationId, withdraw)),
    'segment.status': async ({ load }) => {
      if (load) await s.segmentation.load();
      return { ...s.segmentation.status(), fallbacks: s.segmentation.fallbacks };
    },
  };
}
