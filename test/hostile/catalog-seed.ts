/**
 * Seeds a real catalog (the SQLite file and the image library) with synthetic scans and their model
 * segmentations, for the hostile output tests: the patient ids and file names are the attack.
 */
import { createHash } from 'node:crypto';
import { encodeLabelPng } from '../../src-main/services/catalog/label-map-png';
import { createServices } from '../../src-main/services/container';
import { syntheticScan } from '../../test-support/synthetic-scan';

export interface SeedScan {
  patientId: string;
  originalPath: string;
}

/** Inserts one segmented scan per entry; returns the scan ids in order. */
export async function seedCatalog(home: string, scans: readonly SeedScan[]): Promise<number[]> {
  const s = createServices({ home, host: 'node' });
  try {
    const syn = await syntheticScan();
    const bytes = Buffer.from(syn.image);
    const labelMapPng = await encodeLabelPng(syn.labelMap, syn.width, syn.height);
    return scans.map((scan, i) => {
      const sha256 = createHash('sha256').update(`${i}:${scan.originalPath}`).digest('hex');
      const storedFile = s.library.store(bytes, sha256, 'png');
      const scanId = s.scans.insert({
        patientId: s.patients.upsert(scan.patientId), eye: 'OD', acquiredAt: null, device: null, protocol: null, tags: ['NORMAL'],
        width: syn.width, height: syn.height, axialUmPerPx: 3.87, lateralUmPerPx: 11.72, scaleProvenance: 'device-profile',
        scaleSource: null, originalPath: scan.originalPath, sha256, storedFile, mime: 'image/png', bytes: bytes.length,
      });
      s.segmentations.saveSegmentation({ scanId, kind: 'model', model: { id: 'm', version: '1' }, labelMapPng, summary: syn.summary });
      return scanId;
    });
  } finally {
    await s.close();
  }
}
