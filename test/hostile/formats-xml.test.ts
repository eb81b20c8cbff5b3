import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memorySource } from '../../src-shared/formats/binary';
import { FormatError } from '../../src-shared/formats/errors';
import { openSeries } from '../../src-shared/formats/registry';
import type { SiblingFiles } from '../../src-shared/formats/types';
import { nodeDecoders } from '../../src-main/services/formats/decoders';
import { folderSiblings } from '../../src-main/services/formats/file-source';
import { haveSharedData } from '../../test-support/shared-data';
import { FORMAT_FIXTURES, fixturePath } from './formats-fixtures';
import { fuzzReader, mutations } from './formats-fuzz';

// Heidelberg XML + TIFF: a broken index (truncated, bit-flipped XML) next to the real TIFFs, and
// broken TIFFs next to the real index.
describe.skipIf(!haveSharedData('formats'))('hostile Heidelberg XML exports', () => {
  const cases = [
    ['xmlEyepy', { truncations: 200, flips: 300, seed: 41 }],
    ['xmlVolume', { truncations: 100, flips: 150, seed: 42 }],
  ] as const;
  for (const [label, plan] of cases) {
    it(`${label}: ${plan.truncations} truncations + ${plan.flips} bit flips of the XML end in a series or a FormatError`, async () => {
      const path = fixturePath(FORMAT_FIXTURES[label]!);
      const siblings = folderSiblings(dirname(path));
      const report = await fuzzReader(path, readFileSync(path), plan, (source) => ({ source, siblings, decoders: nodeDecoders }));
      expect(report.failures.slice(0, 5)).toEqual([]);
      // A cut XML is never well-formed: every truncation is refused.
      expect(report.refused.corrupt ?? 0).toBeGreaterThanOrEqual(plan.truncations - 5);
      console.info(`${label}: ${JSON.stringify(report)}`);
    });
  }

  it('100 truncated or bit-flipped copies of a B-scan TIFF: the B-scan read is refused as a FormatError or decodes at its stated size', async () => {
    const path = fixturePath(FORMAT_FIXTURES.xmlEyepy!);
    const real = folderSiblings(dirname(path));
    const tiff = readFileSync(`${dirname(path)}/B1.tif`);
    let refused = 0;
    for (const m of mutations(tiff, { truncations: 40, flips: 60, seed: 43 })) {
      const siblings: SiblingFiles = { list: real.list, open: async (rel) => (rel === 'B1.tif' ? memorySource('B1.tif', m.bytes) : real.open(rel)) };
      const series = await openSeries({ source: memorySource(path, readFileSync(path)), siblings, decoders: nodeDecoders });
      try {
        const image = await series.bscan(0);
        expect([image.width, image.height], m.label).toEqual([50, 40]);
      } catch (error) {
        expect(error, m.label).toBeInstanceOf(FormatError);
        expect((error as FormatError).reason, m.label).not.toMatch(/^unexpected/);
        refused++;
      }
    }
    expect(refused).toBeGreaterThanOrEqual(40);
  });
});
