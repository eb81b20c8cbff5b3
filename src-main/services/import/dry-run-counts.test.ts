import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { haveSharedData, sharedData } from '../../../test-support/shared-data';
import { openTempCatalog, type TempCatalog } from '../../../test-support/temp-catalog';

const HAVE = haveSharedData('octid-unannotated', 'NORMAL');
const octid = (n: number) => sharedData('octid-unannotated', 'NORMAL', `NORMAL${n}.jpeg`);

let cat: TempCatalog;
beforeEach(() => {
  cat = openTempCatalog('dry-run-counts');
});
afterEach(async () => {
  await cat.close();
});

describe.skipIf(!HAVE)('the dry run adds up', () => {
  it('found = will import + will restore + duplicates + cannot read, with missing-file and wrong-type manifest rows counted; files without a scale are named', async () => {
    const { work, services } = cat;
    copyFileSync(octid(26), join(work, 'NORMAL26.jpeg'));
    copyFileSync(octid(27), join(work, 'renamed.jpeg'));
    copyFileSync(octid(26), join(work, 'again.jpeg'));
    writeFileSync(join(work, 'notes.txt'), 'not an image');
    writeFileSync(
      join(work, 'manifest.csv'),
      ['file,patient_id,eye', 'NORMAL26.jpeg,P1,OD', 'renamed.jpeg,P1,OS', 'again.jpeg,P2,OD', 'gone.jpeg,P3,OD', 'notes.txt,P4,OS', ''].join('\n'),
    );
    const dry = await services.importer.dryRun(join(work, 'manifest.csv'));
    // two rows would import, one is a duplicate of an earlier row, one names no file, one no image
    expect(dry.wouldImport).toBe(2);
    expect(dry.duplicates).toHaveLength(1);
    expect(dry.failed.map((f) => f.code).sort()).toEqual(['MISSING_FILE', 'UNSUPPORTED_TYPE']);
    expect(dry.found).toBe(dry.wouldImport + dry.wouldRestore + dry.duplicates.length + dry.failed.length);
    expect(dry.found).toBe(5);
    // the OCTID name gives the Cirrus profile's scale; the renamed copy has none
    expect(dry.missingScale).toBe(1);
    expect(dry.missingScaleFiles).toEqual([join(work, 'renamed.jpeg')]);
  });
});
