import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { haveSharedData, sharedData } from '../../../test-support/shared-data';
import { packageRoot } from '../../resources';
import { registerSegment } from './segment';

// Uses the bundled inference worker (dist/main/workers); `npm test` builds before unit tests.
const built = existsSync(join(packageRoot(), 'dist', 'main', 'workers', 'inference.worker.cjs'));
const IMAGES = [['octid-unannotated', 'NORMAL', 'NORMAL26.jpeg'], ['octdl-diseased', 'macular_hole', 'vid_1258159_1.png']];
const images = IMAGES.map((parts) => sharedData(...parts));
const haveData = IMAGES.every((parts) => haveSharedData(...parts));
const out = mkdtempSync(join(tmpdir(), 'stratum-segment-cli-'));

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe.skipIf(!built || !haveData)('stratum segment', () => {
  it('writes a single-channel class mask of the input size and a JSON summary per image (grey and RGB)', async () => {
    const p = new Command('stratum').option('--home <dir>').exitOverride();
    registerSegment(p);
    await p.parseAsync(['node', 'stratum', 'segment', ...images, '--out', out, '--eye', 'OS', '--json']);
    for (const [img, stem, provenance] of [[images[0]!, 'NORMAL26', 'device-profile'], [images[1]!, 'vid_1258159_1', 'unknown']] as const) {
      const input = await sharp(img).metadata();
      const mask = sharp(join(out, `${stem}.png`));
      const meta = await mask.metadata();
      expect(meta.channels).toBe(1);
      expect([meta.width, meta.height]).toEqual([input.width, input.height]);
      const { data: pixels } = await mask.extractChannel(0).raw().toBuffer({ resolveWithObject: true });
      expect(Math.max(...new Set(pixels))).toBeLessThanOrEqual(8);
      const json = JSON.parse(readFileSync(join(out, `${stem}.json`), 'utf8')) as Record<string, unknown> & { scale: { provenance: string; unit: string } };
      expect(Object.keys(json)).toEqual(expect.arrayContaining(['model', 'engine', 'scale', 'fovea', 'layers', 'flags', 'timings']));
      expect(json.scale.provenance).toBe(provenance);
      expect(json.scale.unit).toBe(provenance === 'unknown' ? 'px' : 'um');
      expect(json.eye).toEqual({ value: 'OS', source: 'user', confidence: 1 });
    }
  });
});
