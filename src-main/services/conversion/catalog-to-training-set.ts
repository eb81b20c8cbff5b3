/**
 * Closes the loop from review to retraining: the catalog's manual segmentations (clinicians' boundary
 * corrections and imported annotations) are written out as a training set in the layout
 * `python -m stratum_train.train --images-dir <out>/images --masks-dir <out>/masks` reads:
 * the B-scan as stored, and a class-index PNG mask of the same stem. A manifest says where each came from.
 */
import { basename, extname, join } from 'node:path';
import type { ScanFilter } from '../../../src-shared/domain/catalog';
import type { ImageLibrary } from '../catalog/library';
import type { ScansRepo } from '../catalog/scans';
import type { SegmentationsRepo } from '../catalog/segmentations';
import { prepareOutputDir, writeFileAtomic } from '../files/atomic-write';

export interface TrainingSetItem {
  scanId: number;
  segmentationId: number;
  image: string;
  mask: string;
  originalPath: string;
  /** Who signed this manual segmentation off, and when; null when nobody has. */
  signOff: { by: string; at: string } | null;
  /** For a clinician's correction: who made it and the share of the model's pixels changed. */
  correction: { correctedBy: string; changedShare: number } | null;
}

export interface TrainingSetExport {
  outDir: string;
  items: TrainingSetItem[];
  /** Scans in the selection without a manual segmentation. */
  skipped: number[];
}

export function exportTrainingSet(
  catalog: { scans: ScansRepo; segmentations: SegmentationsRepo; library: ImageLibrary },
  filter: ScanFilter,
  outDir: string,
): TrainingSetExport {
  const images = join(outDir, 'images');
  const masks = join(outDir, 'masks');
  prepareOutputDir(images, 'training images');
  prepareOutputDir(masks, 'training masks');
  const items: TrainingSetItem[] = [];
  const skipped: number[] = [];
  const stems = new Set<string>();
  for (const scan of catalog.scans.each(filter)) {
    const seg = catalog.segmentations.latestSegmentation(scan.id, 'manual');
    if (!seg) {
      skipped.push(scan.id);
      continue;
    }
    // Keep the original name (the training split reads the number at its end); disambiguate repeats.
    let stem = basename(scan.originalPath, extname(scan.originalPath));
    if (stems.has(stem)) stem = `${stem}_scan${scan.id}`;
    stems.add(stem);
    const image = join(images, `${stem}${extname(scan.storedFile)}`);
    const mask = join(masks, `${stem}.png`);
    writeFileAtomic(image, catalog.library.read(scan.storedFile));
    writeFileAtomic(mask, seg.labelMapPng);
    const c = seg.summary?.correction;
    items.push({
      scanId: scan.id,
      segmentationId: seg.id,
      image,
      mask,
      originalPath: scan.originalPath,
      signOff: seg.signOff,
      correction: c ? { correctedBy: c.correctedBy, changedShare: c.changedShare } : null,
    });
  }
  writeFileAtomic(join(outDir, 'manifest.json'), `${JSON.stringify({ createdAt: new Date().toISOString(), filter, items }, null, 2)}\n`);
  return { outDir, items, skipped };
}
