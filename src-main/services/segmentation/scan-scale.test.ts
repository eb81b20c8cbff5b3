import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CIRRUS_750x500_PROFILE } from '../../../src-shared/analysis/scale';
import { haveSharedData, sharedData } from '../../../test-support/shared-data';
import { openTempCatalog, type TempCatalog } from '../../../test-support/temp-catalog';
import { eyeOfScan, scaleOfFile, scaleOfScan } from './scan-scale';

const OCTID_IMAGE = ['octid-unannotated', 'NORMAL', 'NORMAL26.jpeg'];

describe.runIf(haveSharedData(...OCTID_IMAGE))('the scale a scan is measured with follows its import', () => {
  let cat: TempCatalog;
  beforeAll(async () => {
    cat = openTempCatalog('scan-scale');
    // the same 750x500 Cirrus export twice: under its OCTID name, and re-encoded as a clinic file that names no device
    mkdirSync(join(cat.work, 'NORMAL'));
    mkdirSync(join(cat.work, 'clinic'));
    copyFileSync(sharedData(...OCTID_IMAGE), join(cat.work, 'NORMAL', 'NORMAL26.jpeg'));
    await sharp(sharedData(...OCTID_IMAGE)).png().toFile(join(cat.work, 'clinic', 'scan-a OD.png'));
    await cat.importFrom(cat.work);
    expect(cat.services.scans.count()).toBe(2);
  });
  afterAll(() => cat.close());
  const scanNamed = (name: string) => cat.services.scans.list({ limit: 10 }).items.find((x) => x.originalPath.endsWith(name))!;

  it('an OCTID export keeps the device-profile estimate the import gave it', () => {
    const scan = scanNamed('NORMAL26.jpeg');
    expect(scan.scaleProvenance).toBe('device-profile');
    expect(scaleOfScan(scan)).toMatchObject({ provenance: 'device-profile', axialUmPerPx: CIRRUS_750x500_PROFILE.axialUmPerPx });
    // NORMAL26's orientation marker has N on the right: a right eye, read at import
    expect(eyeOfScan(scan)).toMatchObject({ value: 'OD', source: 'marker' });
  });

  it('a scan imported with an unknown scale stays unknown: a 750x500 size alone is no Cirrus', () => {
    const scan = scanNamed('scan-a OD.png');
    expect([scan.width, scan.height, scan.device, scan.scaleProvenance]).toEqual([750, 500, null, 'unknown']);
    expect(scaleOfScan(scan)).toEqual({ axialUmPerPx: null, lateralUmPerPx: null, provenance: 'unknown' });
    expect(eyeOfScan(scan)).toEqual({ value: 'OD', source: 'manifest', confidence: 1 }); // the file name states it
    // ...unless a device profile matches the device the scan names
    expect(scaleOfScan({ ...scan, device: 'Zeiss Cirrus HD-OCT' }).provenance).toBe('device-profile');
    // a spacing the user gave wins over any profile
    expect(scaleOfScan({ ...scan, axialUmPerPx: 3.5, lateralUmPerPx: 11, scaleProvenance: 'user', scaleSource: 'manifest' })).toEqual({
      axialUmPerPx: 3.5, lateralUmPerPx: 11, provenance: 'user', source: 'manifest',
    });
  });
});

describe('bare image files', () => {
  it('get the profile only when their name says which device made them, as at import', () => {
    expect(scaleOfFile('/data/NORMAL/NORMAL26.jpeg', 750, 500).provenance).toBe('device-profile');
    expect(scaleOfFile('/data/clinic/scan-a.jpeg', 750, 500).provenance).toBe('unknown');
    expect(scaleOfFile(null, 750, 500).provenance).toBe('unknown');
    expect(scaleOfFile('/data/NORMAL/NORMAL3.jpeg', 879, 586).provenance).toBe('unknown');
  });
});
