import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { haveSharedData } from '../../test-support/shared-data';
import { FORMAT_FIXTURES, fixturePath } from './formats-fixtures';
import { fuzzReader } from './formats-fuzz';

// Heidelberg VOL: truncated and bit-flipped copies of the real line and circle scans and eyepy's volume.
describe.skipIf(!haveSharedData('formats'))('hostile Heidelberg VOL files', () => {
  for (const [label, seed] of [['volLine', 1], ['volCircle', 2], ['volEyepy', 3]] as const) {
    it(`${label}: 200 truncations + 300 bit flips end in a series or a FormatError, each within 2 s`, async () => {
      const fx = FORMAT_FIXTURES[label]!;
      const bytes = readFileSync(fixturePath(fx));
      const report = await fuzzReader(fx.parts.at(-1)!, bytes, { truncations: 200, flips: 300, seed }, (source) => ({ source }));
      expect(report.failures.slice(0, 5)).toEqual([]);
      expect(report.cases).toBe(500);
      // A truncation inside the B-scans is always refused: the layout no longer fits the file.
      const refused = Object.values(report.refused).reduce((a, b) => a + b, 0);
      expect(refused).toBeGreaterThanOrEqual(195);
      console.info(`${label}: ${JSON.stringify(report)}`);
    });
  }
});
