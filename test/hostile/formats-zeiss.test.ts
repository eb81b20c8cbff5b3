import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { haveSharedData } from '../../test-support/shared-data';
import { FORMAT_FIXTURES, fixturePath } from './formats-fixtures';
import { fuzzReader } from './formats-fuzz';

// Zeiss .img has no header: a bit flip is only a pixel; a cut is a byte count that fits no layout.
describe.skipIf(!haveSharedData('formats'))('hostile Zeiss IMG files', () => {
  it('200 truncations + 300 bit flips: a cut file needs stated dimensions, a flipped one still opens', async () => {
    const fx = FORMAT_FIXTURES.zeiss!;
    const report = await fuzzReader('oct_image.img', readFileSync(fixturePath(fx)), { truncations: 200, flips: 300, seed: 31 }, (source) => ({ source }));
    expect(report.failures.slice(0, 5)).toEqual([]);
    expect(report.opened).toBeGreaterThanOrEqual(300);
    expect(report.refused['needs-input'] ?? 0).toBeGreaterThanOrEqual(195);
    console.info(`zeiss: ${JSON.stringify(report)}`);
  });
});
