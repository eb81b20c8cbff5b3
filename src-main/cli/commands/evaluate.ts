import type { Command } from 'commander';
import { basename, resolve } from 'node:path';
import { AppError } from '../../../src-shared/contract';
import { evaluateAgainstDevice, type DeviceLinesReport } from '../../services/evaluation/device-lines';
import { evaluate, type EvaluationReport } from '../../services/evaluation/evaluate';
import { SegmentationService } from '../../services/segmentation/segmentation-service';
import { EXIT, printJson } from '../context';
import { checkOutputFile, writeFileAtomic } from '../../services/files/atomic-write';

interface EvaluateCliOptions {
  images?: string;
  againstDevice?: string[];
  vgg?: string;
  masks?: string;
  againstVgg?: string;
  classes?: string;
  corrections?: string;
  include?: string;
  model?: string;
  json?: boolean;
  out?: string;
}

export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description('Score the model (through the app engine) or a second annotator against reference labels')
    .option('--images <dir>', 'folder of B-scans (not needed with --against-device)')
    .option('--against-device <files...>', "score the model's ILM and BM against the device lines stored in these files (.vol, ...)")
    .option('--vgg <file>', 'reference labels: VGG/VIA JSON')
    .option('--masks <dir>', 'reference labels: folder of <stem>.png class-index masks')
    .option('--against-vgg <file>', 'score this annotation file instead of the model (inter-rater agreement)')
    .option('--classes <file>', 'class dictionary JSON for other label spellings')
    .option('--corrections <file>', 'apply a reviewed label-corrections file to the --vgg reference')
    .option('--include <regex>', 'only images whose name matches, e.g. "^NORMAL1[56][0-9]\\."')
    .option('--model <id>', 'model id (default: the shipped trained model)')
    .option('--out <file>', 'also write the JSON report here')
    .option('--json', 'print JSON instead of the table')
    .action(async (opts: EvaluateCliOptions) => {
      let include: RegExp | undefined;
      try {
        include = opts.include ? new RegExp(opts.include) : undefined;
      } catch {
        throw new AppError('VALIDATION', `--include is not a valid regular expression: ${opts.include}`);
      }
      // The report's target is checked before the work (a folder, FIFO, /proc or a file where a folder should be).
      const out = opts.out ? resolve(opts.out) : undefined;
      if (out) checkOutputFile(out, 'evaluation report');
      if (opts.againstDevice) return againstDevice(opts.againstDevice, opts, out);
      if (!opts.images) throw new AppError('VALIDATION', 'Give --images DIR (or --against-device FILE...)');
      const images = opts.images;
      const segmentation = opts.againstVgg ? null : new SegmentationService({ modelId: opts.model });
      try {
        const report = await evaluate(
          { imagesDir: images, referenceVgg: opts.vgg, referenceMasks: opts.masks, againstVgg: opts.againstVgg, classesFile: opts.classes, referenceCorrections: opts.corrections, include },
          segmentation,
        );
        if (out) writeFileAtomic(out, JSON.stringify(report, null, 2));
        if (opts.json) printJson(report);
        else process.stdout.write(formatTable(report));
        for (const f of report.failed) process.stderr.write(`stratum evaluate: not scored: ${f.error}\n`);
        if (report.failed.length > 0) process.exitCode = EXIT.partialFailure;
      } finally {
        await segmentation?.close();
      }
    });
}

async function againstDevice(files: string[], opts: EvaluateCliOptions, out: string | undefined): Promise<void> {
  const segmentation = new SegmentationService({ modelId: opts.model });
  try {
    const report = await evaluateAgainstDevice(files, segmentation);
    if (out) writeFileAtomic(out, JSON.stringify(report, null, 2));
    if (opts.json) printJson(report);
    else process.stdout.write(formatDeviceTable(report));
    for (const f of report.failed) process.stderr.write(`stratum evaluate: not scored: ${f.error}\n`);
    if (report.failed.length > 0) process.exitCode = EXIT.partialFailure;
  } finally {
    await segmentation.close();
  }
}

export function formatDeviceTable(r: DeviceLinesReport): string {
  const lines = [`predictor: ${r.predictor}`, `method: ${r.method}`, '', 'file                          line  MAE px  MAE um  signed px  found'];
  for (const file of r.files) {
    for (const l of file.lines) {
      lines.push(`${basename(file.file).slice(0, 29).padEnd(29)} ${l.line.padEnd(4)} ${f(l.maePx, 2)}  ${f(l.maeUm, 2)}    ${f(l.meanSignedPx, 2)}  ${f(l.found, 3)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const f = (v: number | null, digits = 3) => (v === null ? '   -  ' : v.toFixed(digits).padStart(6));

export function formatTable(r: EvaluationReport): string {
  const lines = [
    `predictor: ${r.predictor}`,
    `reference: ${r.reference} (${r.images} images)`,
    `thickness/boundary um: ${r.scaleNote}`,
    '',
    'layer      IoU    Dice   bound px  bound um  thick px  thick um',
    ...r.layers.map((l) => `${l.layer.padEnd(8)} ${f(l.iou)} ${f(l.dice)}   ${f(l.boundaryErrorPx, 2)}    ${f(l.boundaryErrorUm, 2)}    ${f(l.thicknessErrorPx, 2)}    ${f(l.thicknessErrorUm, 2)}`),
    '',
    `mean IoU (${r.layers.filter((l) => l.iou !== null).length} scored layers, background excluded): ${f(r.meanIoU)}   mean Dice: ${f(r.meanDice)}`,
    `background IoU: ${f(r.backgroundIoU)}   pixel accuracy: ${f(r.pixelAccuracy)}`,
  ];
  return `${lines.join('\n')}\n`;
}
