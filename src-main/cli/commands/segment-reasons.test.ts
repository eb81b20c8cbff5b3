import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { haveSharedData, sharedData } from '../../../test-support/shared-data';
import type { QualityFlags } from '../../../src-shared/domain/segmentation';
import { packageRoot } from '../../resources';
import { registerSegment } from './segment';

// Uses the bundled inference worker (dist/main/workers); `npm test` builds before unit tests.
const built = existsSync(join(packageRoot(), 'dist', 'main', 'workers', 'inference.worker.cjs'));
const IMAGES = [['octdl-diseased', 'macular_hole', 'vid_1416874_1.png'], ['octid-unannotated', 'NORMAL', 'NORMAL30.jpeg']];
const haveData = IMAGES.every((parts) => haveSharedData(...parts));
const out = mkdtempSync(join(tmpdir(), 'stratum-segment-reasons-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe.skipIf(!built || !haveData)('stratum segment: the flag reasons', () => {
  it('prints why a diseased scan needs review (real model, real scan) and nothing for a normal one; the JSON has them as data', async () => {
    const p = new Command('stratum').option('--home <dir>').exitOverride();
    registerSegment(p);
    const printed: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    try {
      await p.parseAsync(['node', 'stratum', 'segment', ...IMAGES.map((parts) => sharedData(...parts)), '--out', out]);
    } finally {
      spy.mockRestore();
    }
    const text = printed.join('');
    const diseased = text.slice(text.indexOf('vid_1416874_1:'), text.indexOf('NORMAL30:') > text.indexOf('vid_1416874_1:') ? text.indexOf('NORMAL30:') : undefined);
    expect(diseased).toMatch(/^vid_1416874_1: .* mean TRT \[Needs review/);
    expect(diseased).toContain('why (review): ');
    expect(diseased).toMatch(/of columns with retina lack one of INL\.\.RPE/);
    expect(text).toMatch(/NORMAL30: [\d.]+ um mean TRT\n(?!\s+why)/);
    const flags = (JSON.parse(readFileSync(join(out, 'vid_1416874_1.json'), 'utf8')) as { flags: QualityFlags }).flags;
    expect(flags.needsReview).toBe(true);
    const missing = flags.findings!.find((f) => f.code === 'missing-layers')!;
    expect(missing.details.value).toBeGreaterThan(missing.details.threshold!);
    // flagged by the first pass already, so the flip check's mirrored run is skipped (flip-gate.ts)
    expect(flags.measures!['flip-disagreement']).toBeNull();
    expect(flags.measures!['high-entropy']).toBeGreaterThan(0);
    const normal = (JSON.parse(readFileSync(join(out, 'NORMAL30.json'), 'utf8')) as { flags: QualityFlags }).flags;
    expect(normal.findings).toEqual([]);
    expect(normal.columnsMissingLayers).toBeLessThan(0.05); // was 43.7 % of columns "missing a layer" on a normal scan
  });
});
