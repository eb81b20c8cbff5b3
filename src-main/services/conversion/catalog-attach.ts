import { readFileSync } from 'node:fs';
import type { MaskBuffer } from '../../../src-shared/annotations/rasterize';
import { encodeLabelPng } from '../catalog/label-map-png';
import { contentHashes } from '../import/probe';
import type { ScansRepo } from '../catalog/scans';
import type { SegmentationsRepo } from '../catalog/segmentations';

export interface CatalogTarget {
  scans: ScansRepo;
  segmentations: SegmentationsRepo;
  actor?: string;
}

export type CatalogAttachResult = { scanId: number; segmentationId: number } | { skipped: string };

/**
 * Attaches one converted mask to the catalog. A function, so a conversion running in a worker thread
 * (which has no catalog) can ask the main thread to do it (conversion-worker-client.ts).
 */
export type MaskAttacher = (imagePath: string, mask: MaskBuffer) => Promise<CatalogAttachResult>;

/**
 * Attaches a converted mask to the catalog scan made from the same image file (matched by the file's
 * SHA-256, as the importer stores it) as a manual ("ground truth") segmentation.
 */
export async function attachMaskToCatalog(target: CatalogTarget, imagePath: string, mask: MaskBuffer): Promise<CatalogAttachResult> {
  const { sha256, fileSha256 } = contentHashes(readFileSync(imagePath)); // the identity import stored
  const found = target.scans.findByHash(sha256) ?? (fileSha256 ? target.scans.findByHash(fileSha256) : null);
  if (!found) return { skipped: 'no catalog scan of this image (import it first)' };
  if (found.deletedAt) return { skipped: `catalog scan ${found.id} is deleted` };
  const scan = target.scans.require(found.id);
  if (scan.width !== mask.width || scan.height !== mask.height) {
    return { skipped: `catalog scan ${found.id} is ${scan.width}x${scan.height}, the mask ${mask.width}x${mask.height}` };
  }
  const labelMapPng = await encodeLabelPng(mask.data, mask.width, mask.height);
  const segmentationId = target.segmentations.saveSegmentation({ scanId: found.id, kind: 'manual', labelMapPng, summary: null, actor: target.actor });
  return { scanId: found.id, segmentationId };
}

export function catalogAttacher(target: CatalogTarget): MaskAttacher {
  return (imagePath, mask) => attachMaskToCatalog(target, imagePath, mask);
}
