import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../../src-shared/contract/errors';
import type { BatchReportResult } from '../../../src-shared/contract/channels/jobs';
import type { ReportInput } from '../../services/reports/report-input';
import type { ExportScan } from '../../services/reports/thickness-export';
import { version } from '../../../package.json';
import type { EngineKind } from '../../services/segmentation/engine';
import { checkOutputFile, prepareOutputDir, writeFileAtomic, writeFileAtomicAsync } from '../../services/files/atomic-write';
import { readRegularFile } from '../../services/files/regular-file';
import { userPath } from '../../services/files/user-path';
import type { ReadServices } from '../catalog-access';
import { EXIT, printJson, withCatalogReader } from '../context';
import { explainImageError } from '../image-problem';
import { runJobWithProgress } from '../progress';
import { addSelectionOptions, hasSelection, parseScanFilter, selectScanIds, type SelectionCliOptions } from '../scan-filter-options';
import { count } from '../text-table';

interface ReportOptions extends SelectionCliOptions {
  scan?: string;
  model?: string;
  engine?: string;
  paper?: string;
  pdf?: string;
  png?: string;
  json?: string;
  out?: string;
  print?: boolean;
}

export function registerReport(program: Command): void {
  addSelectionOptions(
    program
      .command('report')
      .description(
        'Write layer reports: for one catalog scan (--scan) or a bare image, a PDF, PNG and/or thickness JSON; for a selection ' +
          '(--tag, --eye, ..., --all), one combined PDF (--pdf), one PDF per scan (--out DIR) and/or the thickness JSON of all. ' +
          'Catalog reports only read the catalog: they work while the app is open.',
      )
      .argument('[image]', 'an OCT B-scan image (segmented without importing)')
      .option('--scan <id>', 'a catalog scan id (uses its current segmentation)'),
  )
    .option('--pdf <file>', 'write the PDF report here (a selection: one page per scan)')
    .option('--out <dir>', 'a selection: one PDF per scan in this folder (scan-<id>.pdf)')
    .option('--paper <size>', 'PDF paper: a4 (default) or letter', 'a4')
    .option('--png <file>', 'one scan or image: write the PNG report here (1654 px wide)')
    .option('--json <file>', 'write the zone thickness rows (same numbers as the report table) as JSON')
    .option('--model <id>', 'for an image: model id (default: the default model, see `stratum models list`)')
    .addHelpText('after', '\nFor an image, --eye OD|OS gives its eye (default: read from the orientation marker or the anatomy).')
    .option('--engine <engine>', 'for an image: onnx | tfjs')
    .option('--print-json', 'print what was written as JSON on stdout')
    .action(async (image: string | undefined, opts: ReportOptions & { printJson?: boolean }, command: Command) => {
      // with an image, --eye is that image's eye (OD | OS for the nasal/temporal zones), not a selection
      const selection = hasSelection(image === undefined ? opts : { ...opts, eye: undefined });
      const sources = [image !== undefined, opts.scan !== undefined, selection].filter(Boolean).length;
      if (sources !== 1) throw new AppError('VALIDATION', 'Give one of: an image, --scan ID, or a selection (--tag, --eye, --patient, --from/--to, --unsegmented, --flagged, --review, --all).');
      if (opts.paper !== 'a4' && opts.paper !== 'letter') throw new AppError('VALIDATION', '--paper must be a4 or letter');
      if (!opts.pdf && !opts.png && !opts.json && !opts.out) throw new AppError('VALIDATION', 'Nothing to write: give --pdf, --png, --json' + (selection ? ' and/or --out DIR.' : '.'));
      if (opts.out && !selection) throw new AppError('VALIDATION', '--out DIR is for a selection (one PDF per scan); for one scan give --pdf FILE');
      if (opts.png && selection) throw new AppError('VALIDATION', '--png writes one scan or image; for a selection give --pdf FILE or --out DIR');
      // refuse unusable targets (a folder, a FIFO, /proc, ...) before any work
      for (const [file, what] of [[opts.pdf, 'PDF report'], [opts.png, 'PNG report'], [opts.json, 'thickness JSON']] as const) if (file) checkOutputFile(userPath(file), what);
      if (opts.out) prepareOutputDir(userPath(opts.out), 'reports');
      if (image !== undefined) {
        // a vendor volume (file or export folder) gets the volume report; an image the B-scan report
        if (await (await import('../volume-report')).volumeReportForFile(image, opts)) return;
        return writeOutputs(await reportInputForImage(image, opts), opts);
      }
      await withCatalogReader(command, async (s) => {
        if (opts.scan !== undefined) {
          const scanId = Number(opts.scan);
          if (!(Number.isInteger(scanId) && scanId > 0)) throw new AppError('VALIDATION', `Not a scan id: ${opts.scan}`);
          if (await (await import('../volume-report')).volumeReportForScan(s, scanId, opts)) return;
          const { reportInputForScan } = await import('../../services/reports/catalog-source');
          await writeOutputs(await reportInputForScan(s, scanId, version), opts);
          return;
        }
        const ids = selectScanIds(s.scans, parseScanFilter(opts), opts);
        const result = await runJobWithProgress(s, 'reports.batch', `Reports for ${count(ids.length, 'scan')}`, (ctx) => reportSelection(s, ids, opts, ctx));
        if (opts.printJson) printJson(result);
        else for (const f of result.failed) process.stderr.write(`stratum: scan ${f.scanId}: ${f.message}\n`);
        process.stderr.write(`${count(ids.length - result.failed.length, 'report')} of ${count(ids.length, 'scan')} written${result.failed.length ? `; ${result.failed.length} could not be reported` : ''}\n`);
        if (result.failed.length > 0) process.exitCode = EXIT.partialFailure;
      });
    });
}

/** Reports for a selection: combined PDF, per-scan PDFs, thickness JSON; a scan that cannot be reported is listed, the rest carry on. */
async function reportSelection(s: ReadServices, ids: number[], opts: ReportOptions, ctx: { progress: (f: number, stage: string, detail?: string) => Promise<void> }): Promise<BatchReportResult> {
  const { composeReportSvg, svgPagesToPdf, thicknessJson, thicknessRows, PdfFileWriter } = await reportsModule();
  const { reportInputForScan } = await import('../../services/reports/catalog-source');
  const paper = opts.paper === 'letter' ? 'letter' : 'a4';
  const combined = opts.pdf ? new PdfFileWriter(userPath(opts.pdf), { title: `Stratum reports (${count(ids.length, 'scan')})`, paper }) : null;
  const result: BatchReportResult = { files: [], failed: [] };
  const rows: ExportScan[] = [];
  try {
    for (const [i, scanId] of ids.entries()) {
      await ctx.progress(i / ids.length, 'Rendering reports', `scan ${scanId} (${i + 1}/${ids.length})`);
      let input: ReportInput;
      try {
        input = await reportInputForScan(s, scanId, version);
      } catch (error) {
        if (error instanceof AppError && error.code === 'CANCELLED') throw error;
        result.failed.push({ scanId, message: (error as Error).message });
        continue;
      }
      const svg = composeReportSvg(input);
      combined?.addPage(svg);
      if (opts.out) {
        const file = join(userPath(opts.out), `scan-${scanId}.pdf`);
        await writeFileAtomicAsync(file, await svgPagesToPdf([svg], { title: `Stratum report: ${input.scan.name}`, paper }));
        result.files.push(file);
      }
      // the thickness rows need the numbers only: the images are not kept, so a big selection stays small
      if (opts.json) rows.push({ scan: input.scan, summary: input.summary, review: input.review });
    }
  } catch (error) {
    await combined?.abort();
    throw error;
  }
  if (combined) {
    if (result.failed.length === ids.length) await combined.abort();
    else {
      await combined.close();
      result.files.push(userPath(opts.pdf!));
    }
  }
  if (opts.json && rows.length > 0) {
    writeFileAtomic(userPath(opts.json), thicknessJson(thicknessRows(rows)));
    result.files.push(userPath(opts.json));
  }
  for (const f of result.files) process.stderr.write(`wrote ${f}\n`);
  return result;
}

async function reportsModule() {
  const reports = await import('../../services/reports');
  const { PdfFileWriter } = await import('../../services/reports/render');
  return { ...reports, PdfFileWriter };
}

/** A bare image: segmented through the segmentation service, nothing imported into the catalog. */
async function reportInputForImage(image: string, opts: ReportOptions): Promise<ReportInput> {
  if (opts.engine !== undefined && opts.engine !== 'onnx' && opts.engine !== 'tfjs') throw new AppError('VALIDATION', '--engine must be onnx or tfjs');
  if (opts.eye !== undefined && opts.eye !== 'OD' && opts.eye !== 'OS') throw new AppError('VALIDATION', '--eye must be OD or OS');
  const path = userPath(image);
  const [{ checkPixelBudget }, { SegmentationService }, { prepareReportImage }, { reviewOfBareOutput }] = await Promise.all([
    import('../../services/import/pixel-budget'),
    import('../../services/segmentation/segmentation-service'),
    import('../../services/reports/render'),
    import('../../services/reports/catalog-source'),
  ]);
  const service = new SegmentationService({ modelId: opts.model, engine: opts.engine as EngineKind | undefined });
  try {
    const bytes = readRegularFile(path, 'image');
    await checkPixelBudget(bytes, path); // TOO_LARGE from the header, before anything is decoded
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
  } catch (error) {
    throw await explainImageError(path, error);
  } finally {
    await service.close();
  }
}

export async function writeOutputs(input: ReportInput, opts: ReportOptions): Promise<void> {
  const { composeReportSvg, svgPagesToPdf, svgToPng, thicknessJson, thicknessRows } = await import('../../services/reports');
  const svg = composeReportSvg(input);
  if (opts.pdf) write(opts.pdf, await svgPagesToPdf([svg], { title: `Stratum report: ${input.scan.name}`, paper: opts.paper === 'letter' ? 'letter' : 'a4' }));
  if (opts.png) write(opts.png, await svgToPng(svg));
  if (opts.json) write(opts.json, thicknessJson(thicknessRows([input])));
}

function write(file: string, bytes: Uint8Array | string): void {
  const path = userPath(file);
  writeFileAtomic(path, bytes);
  process.stderr.write(`wrote ${path}\n`);
}
