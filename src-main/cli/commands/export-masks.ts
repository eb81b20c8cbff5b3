import { userPath } from '../../services/files/user-path';
import type { Command } from 'commander';
import { exportTrainingSet } from '../../services/conversion/catalog-to-training-set';
import { countOf } from '../../../src-shared/domain/wording';
import { EXIT, printJson, withCatalogReader } from '../context';
import { addScanFilterOptions, parseScanFilter, type ScanFilterCliOptions } from '../scan-filter-options';

interface ExportMasksOptions extends ScanFilterCliOptions {
  out: string;
  json?: boolean;
}

export function registerExportMasks(program: Command): void {
  addScanFilterOptions(
    program
      .command('export-masks')
      .description("Export the catalog's manual segmentations (clinicians' corrections, imported annotations) as a training set: <out>/images, <out>/masks, manifest.json"),
  )
    .requiredOption('--out <dir>', 'output folder')
    .option('--json', 'print the result as JSON')
    .action(async (opts: ExportMasksOptions, command: Command) => {
      const filter = parseScanFilter(opts);
      await withCatalogReader(command, async (s) => { // reads the catalog only: works while the app is open
        const out = userPath(opts.out);
        const r = exportTrainingSet(s, filter, out);
        if (r.items.length === 0) process.exitCode = EXIT.partialFailure;
        if (opts.json) return printJson(r);
        const corrected = r.items.filter((i) => i.correction).length;
        process.stdout.write(`${r.items.length} image/mask pairs (${corrected} clinician corrections) -> ${out}\n`);
        if (r.skipped.length) process.stdout.write(`${countOf(r.skipped.length, 'scan')} in the selection ${r.skipped.length === 1 ? 'has' : 'have'} no manual segmentation\n`);
        if (r.items.length) process.stdout.write(`train on them: cd training && python3 -m stratum_train.train --images-dir ${out}/images --masks-dir ${out}/masks --out runs/mine\n`);
      });
    });
}
