import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nodeDecoders } from '../../src-main/services/formats/decoders';
import { haveSharedData } from '../../test-support/shared-data';
import { FORMAT_FIXTURES, fixturePath } from './formats-fixtures';
import { fuzzReader } from './formats-fuzz';

// Topcon FOCT: the real FDA (a JPEG 2000 B-scan through OpenJPEG's WebAssembly decoder) and the FDS.
describe.skipIf(!haveSharedData('formats'))('hostile Topcon FDA/FDS files', () => {
  for (const [label, seed] of [['fda', 21], ['fds', 22]] as const) {
    it(`${label}: 200 truncations + 300 bit flips end in a series or a FormatError, each within 2 s`, async () => {
      const fx = FORMAT_FIXTURES[label]!;
      const report = await fuzzReader(fx.parts.at(-1)!, readFileSync(fixturePath(fx)), { truncations: 200, flips: 300, seed }, (source) => ({ source, decoders: nodeDecoders }));
      expect(report.failures.slice(0, 5)).toEqual([]);
      expect(report.refused.truncated ?? 0).toBeGreaterThanOrEqual(150);
      console.info(`${label}: ${JSON.stringify(report)}`);
    });
  }
});
