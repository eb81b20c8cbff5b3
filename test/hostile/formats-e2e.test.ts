import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { haveSharedData } from '../../test-support/shared-data';
import { FORMAT_FIXTURES, fixturePath } from './formats-fixtures';
import { fuzzReader } from './formats-fuzz';

// Heidelberg E2E: the real one-B-scan file, whose directory is gone (containers found by scanning).
describe.skipIf(!haveSharedData('formats'))('hostile Heidelberg E2E files', () => {
  it('200 truncations + 300 bit flips end in a series or a FormatError, each within 2 s', async () => {
    const fx = FORMAT_FIXTURES.e2e!;
    const report = await fuzzReader('e2e_minimized.E2E', readFileSync(fixturePath(fx)), { truncations: 200, flips: 300, seed: 11 }, (source) => ({ source }));
    expect(report.failures.slice(0, 5)).toEqual([]);
    // Cutting into the B-scan leaves too few samples for its width x height: refused, never padded.
    expect(report.refused.truncated ?? 0).toBeGreaterThanOrEqual(150);
    console.info(`e2e: ${JSON.stringify(report)}`);
  });
});
