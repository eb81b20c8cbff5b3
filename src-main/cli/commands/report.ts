import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../../src-shared/contract';
import { composeReportSvg, svgPagesToPdf, svgToPng, thicknessJson, thicknessRows } from '../../services/reports';
import { reportInputForScan, reviewOfBareOutput } from '../../services/reports/catalog-source';
import type { ReportInput } from '../../services/reports/report-input';
import { version } from '../../../package.json';
import { SegmentationService } from '../../services/segmentation/segmentation-service';
import type { EngineKind } from '../../services/segmentation/engine';
import { prepareReportImage } from '../../services/reports/render';
import { checkPixelBudget } from '../../services/import/pixel-budget';
import { withServices } from '../context';
import { checkOutputFile, writeFileAtomic } from '../../services/files/atomic-write';
import { readRegularFile } from '../../services/files/regular-file';

interface ReportOptions {
  scan?: string;
  model?: string;
  engine?: string;
  eye?: string;
  paper?: string;
  pdf?: string;
  png?: string;
  json?: string;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('Write a layer report (PDF and/or PNG, thickness JSON) for a catalog scan or a bare image')
    .argument('[image]', 'an OCT B-scan image (segmented without importing)')
    .option('--scan <id>', 'a catalog scan id (uses its current segmentation)')
    .option('--pdf <file>', 'write the PDF report here')
    .option('--paper <size>', 'PDF paper: a4 (default) or letter', 'a4')
    .option('--png <file>', 'write the PNG report here (1654 px wide)')
    .option('--json <file>', 'write the zone thickness rows (same numbers as the report table) as JSON')
    .option('--model <id>', 'for an image: model id (default: the trained model; the untrained placeholder only as --model stratum-placeholder)')
    .option('--engine <engine>', 'for an image: onnx | tfjs')
    .option('--eye <eye>', 'for an image: OD | OS (nasal/temporal zones; default: read from the orientation marker or the anatomy)')
    .action(async (image: string | undefined, opts: ReportOptions, command: Command) => {
      if ((image === undefined) === (opts.scan === undefined)) throw new AppError('VALIDATION', 'Give either an image or --scan ID.');
      if (opts.paper !== undefined && opts.paper !== 'a4' && opts.paper !== 'letter') throw new AppError('VALIDATION', '--paper must be a4 or letter');
      if (!opts.pdf && !opts.png && !opts.json) throw new AppError('VALIDATION', 'Nothing to write: give --pdf, --png and/or --json.');
      // Refuse unusable targets (a folder, a FIFO, /proc, ...) before segmenting anything.
      for (const [file, what] of [[opts.pdf, 'PDF report'], [opts.png, 'PNG report'], [opts.json, 'thickness JSON']] as const) if (file) checkOutputFile(resolve(file), what);
      const scanId = opts.scan === undefined ? null : Number(opts.scan);
      if (scanId !== null && !(Number.isInteger(scanId) && scanId > 0)) throw new AppError('VALIDATION', `Not a scan id: ${opts.scan}`);
      if (scanId !== null) {
        await withServices(command, async (s) => writeOutputs(await reportInputForScan(s, scanId, version), opts));
      } else {
        await writeOutputs(await reportInputForImage(image!, opts), opts);
      }
    });
}

/** A bare image: segmented through the segmentation service, nothing imported into the catalog. */
async function reportInputForImage(image: string, opts: ReportOptions): Promise<ReportInput> {
  if (opts.engine !== undefined && opts.engine !== 'onnx' && opts.engine !== 'tfjs') throw new AppError('VALIDATION', '--engine must be onnx or tfjs');
  if (opts.eye !== undefined && opts.eye !== 'OD' && opts.eye !== 'OS') throw new AppError('VALIDATION', '--eye must be OD or OS');
  const path = resolve(image);
  const bytes = readRegularFile(path, 'image');
  await checkPixelBudget(bytes, path); // TOO_LARGE from the header, before anything is decoded
  const service = new SegmentationService({ modelId: opts.model, engine: opts.engine as EngineKind | undefined });
  try {
    const eye = opts.eye === undefined ? null : { value: opts.eye as 'OD' | 'OS', source: 'user' as const, confidence: 1 };
    const r = await service.segmentImage(bytes, { fileName: path, eye });
    return {
      scan: { name: basename(path), eye },
      image: await prepareReportImage(bytes),
      labelMap: r.labels,
      summary: r.summary,
      review: reviewOfBareOutput(r.summary),
      appVersion: version,
      reportDate: new Date().toISOString(),
    };
  } finally {
    await service.close();
  }
}

export async function writeOutputs(input: ReportInput, opts: ReportOptions): Promise<void> {
  const svg = composeReportSvg(input);
  if (opts.pdf) write(opts.pdf, await svgPagesToPdf([svg], { title: `Stratum report: ${input.scan.name}`, paper: opts.paper === 'letter' ? 'letter' : 'a4' }));
  if (opts.png) write(opts.png, await svgToPng(svg));
  if (opts.json) write(opts.json, thicknessJson(thicknessRows([input])));
}

function write(file: string, bytes: Uint8Array | string): void {
  const path = resolve(file);
  writeFileAtomic(path, bytes);
  process.stderr.write(`wrote ${path}\n`);
}
