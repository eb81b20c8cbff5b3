/**
 * The surfaces of a volume source: the device's lines as they are, and Stratum's from its stored
 * segmentation of each B-scan (catalog) or, where none is stored, from segmenting the B-scan with the
 * segmentation service (the same engine and post-processing as a single image).
 */
import type { VolumeSurfaces } from '../../../src-shared/analysis/enface/map-set';
import { surfacesFromDevice, surfacesFromLabels, type BscanSurfaces } from '../../../src-shared/analysis/enface/surfaces';
import { layerBoundaries } from '../../../src-shared/analysis/segmentation/boundaries';
import type { SegmentationService } from '../segmentation/segmentation-service';
import { findingsOf } from '../../../src-shared/analysis/segmentation/quality';
import type { QualityFlags } from '../../../src-shared/domain/segmentation';
import { axialUmOf, volumeLines, type VolumeSource } from './volume-source';

/** The device's boundaries as a volume, or null when the source has none. */
export async function deviceSurfaces(source: VolumeSource): Promise<VolumeSurfaces | null> {
  if (!source.device) return null;
  const lines = volumeLines(source);
  const surfaces: (BscanSurfaces | undefined)[] = [];
  for (let i = 0; i < source.bscanCount; i++) {
    const l = await source.device.read(i);
    surfaces.push(l ? surfacesFromDevice(l) : undefined);
  }
  return { lines, surfaces, axialUmPerPx: axialUmOf(source), source: 'device' };
}

export interface StratumSurfaces {
  volume: VolumeSurfaces;
  /** Which segmentation(s) the surfaces come from ("model stratum-unet-light 1.1.0"), each once. */
  segmentations: string[];
  model: { id: string; version: string } | null;
  /** B-scans with a stored segmentation / segmented now / without either. */
  stored: number;
  segmented: number;
  missing: number[];
  /** B-scans the quality rules flag (but for the single-image fovea rule), by index, and the first reasons. */
  flagged: number[];
  reasons: string[];
  milliseconds: number;
}

export interface SegmentVolumeOptions {
  /** Segments B-scans without a stored segmentation; without it they stay missing (holes in the maps). */
  service?: SegmentationService;
  signal?: AbortSignal;
  /** After each B-scan: how many are done. */
  onProgress?: (done: number, total: number) => void | Promise<void>;
}

/**
 * Stratum's surfaces per B-scan. Only the surfaces are kept, so a 145-B-scan volume never holds its
 * label maps at once. A bounded number of B-scans is in flight (the worker batches what is queued).
 */
export async function stratumSurfaces(source: VolumeSource, options: SegmentVolumeOptions): Promise<StratumSurfaces> {
  const t0 = performance.now();
  const lines = volumeLines(source);
  const axial = axialUmOf(source);
  const surfaces: (BscanSurfaces | undefined)[] = new Array(source.bscanCount).fill(undefined);
  const names = new Set<string>();
  const flagged: number[] = [];
  const reasons: string[] = [];
  const missing: number[] = [];
  let model: StratumSurfaces['model'] = null;
  let stored = 0;
  let segmented = 0;
  let done = 0;
  const note = (i: number, flags: QualityFlags) => {
    // a volume's B-scans away from the fovea have no pit by nature: the single-image rule 'fovea-unclear'
    // says nothing there (the volume's fovea is found in 3D, fovea-3d.ts)
    const why = findingsOf(flags).filter((f) => f.code !== 'fovea-unclear' && f.severity !== 'info');
    if (!why.length && !flags.likelyFailure) return;
    flagged.push(i);
    if (reasons.length < 5) reasons.push(`B-scan ${i + 1}: ${why.map((f) => f.message).join('; ') || 'likely failure'}`);
  };
  const one = async (i: number) => {
    const kept = source.stored ? await source.stored(i) : null;
    if (kept) {
      surfaces[i] = surfacesFromLabels(layerBoundaries(kept.labels, kept.width, kept.height), kept.width);
      names.add(kept.name);
      model ??= kept.model;
      if (kept.flags) note(i, kept.flags);
      stored++;
    } else if (options.service) {
      const img = await source.bscan(i);
      const r = await options.service.segmentGrey({ grey: img.pixels, width: img.width, height: img.height }, { scale: source.scale, eye: source.eye, ...(options.signal ? { signal: options.signal } : {}) });
      surfaces[i] = surfacesFromLabels(layerBoundaries(r.labels, r.width, r.height), r.width);
      names.add(`model ${r.summary.model.id} ${r.summary.model.version}`);
      model ??= { id: r.summary.model.id, version: r.summary.model.version };
      note(i, r.summary.flags);
      segmented++;
    } else missing.push(i);
    done++;
    await options.onProgress?.(done, source.bscanCount);
  };
  const inflight = new Set<Promise<void>>();
  let failure: unknown = null;
  for (let i = 0; i < source.bscanCount && failure === null; i++) {
    const p: Promise<void> = one(i)
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => inflight.delete(p));
    inflight.add(p);
    if (inflight.size >= 4) await Promise.race(inflight);
  }
  await Promise.all(inflight);
  if (failure !== null) throw failure;
  flagged.sort((a, b) => a - b);
  missing.sort((a, b) => a - b);
  return {
    volume: { lines, surfaces, axialUmPerPx: axial, source: 'stratum' },
    segmentations: [...names],
    model,
    stored,
    segmented,
    missing,
    flagged,
    reasons,
    milliseconds: Math.round(performance.now() - t0),
  };
}
