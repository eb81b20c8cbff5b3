/**
 * Gathers a volume report's input: the analysis, the total retina panel, the localizer, the B-scan
 * nearest the fovea with both segmentations' surfaces and the device difference on it, and the review
 * facts with the flags a reader must see.
 */
import sharp from 'sharp';
import { deviceDifference, type BoundaryDifference } from '../../../src-shared/analysis/device-difference';
import type { GreyImage } from '../../../src-shared/formats/types';
import type { BscanSurfaces } from '../../../src-shared/analysis/enface/surfaces';
import type { VolumeReportInput } from '../reports/volume-report-input';
import type { SegmentationService } from '../segmentation/segmentation-service';
import { primaryAnalysis, type VolumeResult } from './analyse-volume';
import type { CatalogVolume } from './catalog-volume-source';
import { preparePanel } from './render-map';

async function greyPng(img: GreyImage, rows?: { top: number; height: number }): Promise<string> {
  let s = sharp(Buffer.from(img.pixels.buffer, img.pixels.byteOffset, img.pixels.byteLength), { raw: { width: img.width, height: img.height, channels: 1 } });
  if (rows) s = s.extract({ left: 0, top: rows.top, width: img.width, height: rows.height });
  const png = await s.png({ compressionLevel: 6 }).toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}

/** The rows the surfaces span, with a margin (the page shows the retina, not the empty vitreous). */
function retinaRows(height: number, ...sets: (BscanSurfaces | null)[]): { top: number; height: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const set of sets) {
    for (const rows of Object.values(set ?? {})) {
      for (const r of rows) {
        if (!Number.isFinite(r)) continue;
        if (r < lo) lo = r;
        if (r > hi) hi = r;
      }
    }
  }
  if (!(hi > lo)) return { top: 0, height };
  const margin = Math.max(20, (hi - lo) * 0.25);
  const top = Math.max(0, Math.floor(lo - margin));
  return { top, height: Math.min(height, Math.ceil(hi + margin)) - top };
}

/** The B-scan whose line lies nearest the fovea (distance across the B-scans, mm). */
function nearestBscan(r: VolumeResult): { index: number; distanceMm: number } | null {
  if (!r.stratum && !r.device) return null;
  const a = primaryAnalysis(r);
  const g = a.mapSet.geometry;
  const o = a.fovea.centreMm.x * g.across.x + a.fovea.centreMm.y * g.across.y;
  let best = 0;
  for (let k = 1; k < g.offsets.length; k++) if (Math.abs(g.offsets[k]! - o) < Math.abs(g.offsets[best]! - o)) best = k;
  return { index: g.order[best]!, distanceMm: Math.abs(g.offsets[best]! - o) };
}

/** The flags a reader must see, in words: flagged B-scans, partial subfields, an unsure fovea, missing segmentations. */
export function volumeFlags(r: VolumeResult): string[] {
  const flags: string[] = [];
  const a = r.stratum || r.device ? primaryAnalysis(r) : null;
  if (a && a.fovea.method !== 'user' && a.fovea.confidence < 0.5) flags.push(`fovea found with low confidence (${a.fovea.confidence}): check the grid centre`);
  if (a?.fovea.method === 'scan-centre') flags.push('no foveal pit found: the grid is centred on the scan centre');
  const partial = a?.grids.total?.subfields.filter((s) => s.partial).map((s) => `${s.subfield} ${Math.round(s.coveragePct)} %`) ?? [];
  if (partial.length) flags.push(`partial coverage (under 80 % of the subfield scanned): ${partial.join(', ')}`);
  const seg = r.segmentation;
  if (seg?.missing.length) flags.push(`${seg.missing.length} of ${r.source.bscanCount} B-scans have no Stratum segmentation: holes in its maps`);
  if (seg?.flagged.length) flags.push(`${seg.flagged.length} of ${r.source.bscanCount} B-scans flagged by the quality rules (${seg.reasons.slice(0, 2).join('; ')}${seg.reasons.length > 2 ? '; ...' : ''})`);
  if (r.source.eye.value === 'unknown') flags.push('eye unknown: subfields are named by image side (L/R), not nasal/temporal');
  return flags;
}

export interface VolumeReportOptions {
  /** For a file: segments the fovea B-scan again for the device difference (its label map is not kept). */
  service?: SegmentationService;
  catalog?: CatalogVolume | null;
  appVersion: string;
  reportDate?: string;
}

export async function volumeReportInput(r: VolumeResult, options: VolumeReportOptions): Promise<VolumeReportInput> {
  const a = primaryAnalysis(r);
  const total = a.mapSet.maps.total ?? Object.values(a.mapSet.maps)[0]!;
  const totalPanel = await preparePanel({ map: total, centre: a.fovea.centreMm, stats: a.grids[total.key] ?? null, eye: r.eye });
  const src = r.source;
  let localizer: VolumeReportInput['localizer'] = null;
  if (src.localizer && src.localizer.scaleXMm && src.localizer.scaleYMm) {
    const img = await src.localizer.read().catch(() => null);
    if (img) localizer = { href: await greyPng(img), widthPx: img.width, heightPx: img.height, scaleXMm: src.localizer.scaleXMm, scaleYMm: src.localizer.scaleYMm };
  }
  let foveaBscan: VolumeReportInput['foveaBscan'] = null;
  const near = nearestBscan(r);
  if (near) {
    const img = await src.bscan(near.index);
    const stratum = r.surfaces.stratum?.surfaces[near.index] ?? null;
    const device = r.surfaces.device?.surfaces[near.index] ?? null;
    let difference: BoundaryDifference[] | null = null;
    const lines = device && src.device ? await src.device.read(near.index) : null;
    if (lines && stratum) {
      // the device difference is one rule (analysis/device-difference.ts) on Stratum's label map; the
      // worker takes the pixels it is given (transferred), so it gets a copy
      const stored = src.stored ? await src.stored(near.index) : null;
      const labels = stored?.labels ?? (options.service ? (await options.service.segmentGrey({ grey: img.pixels.slice(), width: img.width, height: img.height }, { scale: src.scale, eye: src.eye })).labels : null);
      if (labels) {
        difference = deviceDifference(Object.entries(lines).map(([name, rows]) => ({ name, rows: Array.from(rows) })), labels, img.width, img.height, src.scale.axialUmPerPx);
      }
    }
    const rows = retinaRows(img.height, stratum, device);
    foveaBscan = { href: await greyPng(img, rows), widthPx: img.width, heightPx: rows.height, rowOffset: rows.top, index: near.index, distanceMm: near.distanceMm, stratum, device, difference };
  }
  const c = options.catalog ?? null;
  return {
    scan: {
      name: c ? `${src.name} (${c.fileName})` : src.name,
      scanId: c?.scanId ?? null,
      patient: c?.patient ?? null,
      eye: src.eye,
      acquiredAt: src.facts.acquired,
      device: src.facts.device,
      protocol: src.facts.protocol,
      format: src.facts.format,
      bscanCount: src.bscanCount,
      width: src.width,
      height: src.height,
    },
    result: r,
    totalPanel,
    localizer,
    foveaBscan,
    review: c
      ? { inCatalog: true, state: c.review.label, segmentations: r.segmentation?.segmentations ?? [], segmented: c.review.segmented, signedOff: c.review.signedOff, signOffs: c.review.signOffs, flags: volumeFlags(r) }
      : { inCatalog: false, state: 'Not reviewed (not in the catalog)', segmentations: r.segmentation?.segmentations ?? [], segmented: r.segmentation?.segmented ?? 0, signedOff: 0, signOffs: [], flags: volumeFlags(r) },
    appVersion: options.appVersion,
    reportDate: options.reportDate ?? new Date().toISOString(),
  };
}
