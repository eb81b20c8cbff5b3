/**
 * The eye of imported scans (issue 15.1), through a real import into a real catalog and the shipped
 * model: the OCTID exports' orientation marker read at import, the stated eye of a file name winning over
 * it, and the anatomy deciding after segmentation for an export whose marker is gone.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zoneKeyOf } from '../../../src-shared/analysis/segmentation';
import { eyeForNasalSide, type ImageSide } from '../../../src-shared/domain/laterality';
import { REPO_ROOT, haveSharedData, sharedData } from '../../../test-support/shared-data';
import { openTempCatalog, type TempCatalog } from '../../../test-support/temp-catalog';

const truth = (JSON.parse(readFileSync(join(REPO_ROOT, 'test-support', 'laterality-ground-truth.json'), 'utf8')) as { nasalSide: Record<string, ImageSide> }).nasalSide;

describe.runIf(haveSharedData('octid-unannotated', 'NORMAL'))('the eye of imported scans', () => {
  let cat: TempCatalog;
  const named = (suffix: string) => cat.services.scans.list({ limit: 500 }).items.find((s) => s.originalPath.endsWith(suffix))!;

  beforeAll(async () => {
    cat = openTempCatalog('laterality');
    // NORMAL31 (nasal on the right: OD by its marker) once more under a clinic name stating OS, as a PNG
    // (other bytes, so not a duplicate), and NORMAL30 (OS) with its marker corner blacked out
    mkdirSync(join(cat.work, 'clinic'));
    await sharp(sharedData('octid-unannotated', 'NORMAL', 'NORMAL31.jpeg')).png().toFile(join(cat.work, 'clinic', 'P1 OS.png'));
    const { data, info } = await sharp(sharedData('octid-unannotated', 'NORMAL', 'NORMAL30.jpeg')).greyscale().raw().toBuffer({ resolveWithObject: true });
    for (let y = Math.round(info.height * 0.74); y < info.height; y++) data.fill(0, y * info.width, y * info.width + Math.round(info.width * 0.2));
    await sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } }).png().toFile(join(cat.work, 'clinic', 'no-marker.png'));
    await cat.importFrom(sharedData('octid-unannotated'));
    await cat.importFrom(join(cat.work, 'clinic'));
  }, 120_000);
  afterAll(() => cat?.close());

  it('reads the eye of every NORMAL export from its orientation marker, as the ground truth has it', () => {
    const scans = cat.services.scans.list({ limit: 500 }).items.filter((s) => s.originalPath.includes(`${join('octid-unannotated', 'NORMAL')}`));
    expect(scans).toHaveLength(60);
    for (const s of scans) {
      const name = s.originalPath.split(/[\\/]/).pop()!;
      expect({ name, eye: s.eye, source: s.eyeSource }).toEqual({ name, eye: eyeForNasalSide(truth[name]!), source: 'marker' });
      expect(s.eyeConfidence).toBeGreaterThan(0.8);
    }
  });

  it("lets a file name's stated eye win over the marker, and leaves an export without marker unknown", () => {
    expect(named('P1 OS.png')).toMatchObject({ eye: 'OS', eyeSource: 'manifest', eyeConfidence: 1 });
    expect(named('no-marker.png')).toMatchObject({ eye: 'unknown', eyeSource: null, eyeConfidence: null });
  });

  it('puts the thicker NFL of NORMAL30 (OS by its marker) on the nasal side of its zones', async () => {
    const scan = named(join('NORMAL', 'NORMAL30.jpeg'));
    expect(scan).toMatchObject({ eye: 'OS', eyeSource: 'marker' });
    const [run] = await cat.services.segmentation.segmentScans([scan.id]);
    const s = run!.summary;
    expect(s.eye).toMatchObject({ value: 'OS', source: 'marker' });
    const nfl = s.layers.find((l) => l.layer === 'NFL')!.zoneMeans;
    const nasal = nfl[zoneKeyOf('nasalOuter', 'OS')]!;
    const temporal = nfl[zoneKeyOf('temporalOuter', 'OS')]!;
    // the papillomacular bundle: well over twice as thick nasally (the issue saw 34 against 9 µm, swapped)
    expect(nasal).toBeGreaterThan(2 * temporal);
    expect(zoneKeyOf('nasalOuter', 'OS')).toBe('leftOuter');
  }, 120_000);

  it('takes the eye from the anatomy after segmenting an export whose marker is gone, and records it on the scan', async () => {
    const scan = named('no-marker.png');
    const [run] = await cat.services.segmentation.segmentScans([scan.id]);
    expect(run!.summary.eye).toMatchObject({ value: 'OS', source: 'anatomy' });
    expect(run!.summary.eye.confidence).toBeGreaterThan(0.3);
    expect(cat.services.scans.require(scan.id)).toMatchObject({ eye: 'OS', eyeSource: 'anatomy' });
    // a stated eye is never overwritten by a detection
    const stated = named('P1 OS.png');
    await cat.services.segmentation.segmentScans([stated.id]);
    expect(cat.services.scans.require(stated.id)).toMatchObject({ eye: 'OS', eyeSource: 'manifest' });
  }, 120_000);
});
