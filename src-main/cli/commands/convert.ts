import type { Command } from 'commander';
import { AppError } from '../../../src-shared/contract';
import type { ConversionReport } from '../../../src-shared/annotations/report';
import { layerByIndex } from '../../../src-shared/domain/layers';
import { convertCoco, convertVgg } from '../../services/conversion/annotations-to-masks';
import { convertGreyMasks } from '../../services/conversion/grey-masks';
import { masksToVgg } from '../../services/conversion/masks-to-vgg';
import { EXIT, printJson, withServices } from '../context';
import { catalogAttacher, type MaskAttacher } from '../../services/conversion/catalog-attach';
import type { Services } from '../../services/container';

const pct = (v: number) => `${(v * 100).toFixed(2)} %`;
const names = (ids: number[]) => ids.map((i) => layerByIndex(i)?.key ?? String(i)).join(', ');

function printConversion(r: ConversionReport): void {
  for (const img of r.images) {
    const notes = [
      img.error ? `FAILED: ${img.error}` : '',
      img.imageMissing ? 'IMAGE MISSING' : '',
      img.classesMissing.length ? `missing ${names(img.classesMissing)}` : '',
      img.outside.length ? `${img.outside.length} polygon(s) outside the image (clipped)` : '',
      img.agreement === undefined ? '' : `agreement ${pct(img.agreement)}`,
    ].filter(Boolean);
    process.stdout.write(`${img.image}: ${img.polygons} polygons${notes.length ? `; ${notes.join('; ')}` : ''}\n`);
    for (const f of img.layerOrder) {
      process.stdout.write(`  LAYER ORDER region ${f.region} (${f.label}): ${f.problem}${f.proposal ? ` -> proposed ${f.proposal.to}` : ''}\n`);
    }
  }
  for (const f of r.filesRefused ?? []) process.stderr.write(`stratum convert: refused ${f.error}\n`);
  if (r.imagesFailed) process.stderr.write(`stratum convert: ${r.imagesFailed} image(s) failed; the others were converted\n`);
  if (r.corrections) process.stdout.write(`corrections applied: ${r.corrections.applied} regions relabelled by ${r.corrections.file}\n`);
  const outOfOrder = r.images.filter((i) => i.layerOrder.length > 0).length;
  if (outOfOrder) process.stdout.write(`layer order: ${outOfOrder} image(s) with layers out of anatomical order${r.proposedCorrections ? '' : ' (--propose-corrections FILE writes the fixes for review)'}\n`);
  if (r.proposedCorrections) process.stdout.write(`${r.proposedCorrections.count} proposed corrections written to ${r.proposedCorrections.file}: review them, then pass --corrections\n`);
  process.stdout.write(`${r.masksWritten} masks written to ${r.outDir} (dictionary: ${r.dictionary})\n`);
  if (r.imagesMissing.length) process.stdout.write(`annotated but not on disk: ${r.imagesMissing.join(', ')}\n`);
  if (r.imagesWithoutAnnotation.length) process.stdout.write(`on disk without annotation: ${r.imagesWithoutAnnotation.join(', ')}\n`);
  if (r.agreement) process.stdout.write(`agreement with reference masks: min ${pct(r.agreement.min)}, mean ${pct(r.agreement.mean)} (${r.agreement.compared} masks)\n`);
  const attached = r.images.filter((i) => i.catalog && 'scanId' in i.catalog).length;
  const skipped = r.images.filter((i) => i.catalog && 'skipped' in i.catalog);
  if (attached || skipped.length) {
    process.stdout.write(`catalog: ${attached} masks attached as manual segmentations, ${skipped.length} not attached\n`);
    for (const i of skipped) process.stdout.write(`  ${i.image}: ${(i.catalog as { skipped: string }).skipped}\n`);
  }
}

/** Runs `body` with the catalog when --into-catalog was given (opening the data folder), else without. */
async function maybeCatalog<T>(into: boolean | undefined, command: Command, body: (attach?: MaskAttacher) => Promise<T>): Promise<T> {
  if (!into) return body(undefined);
  return withServices(command, (s: Services) => body(catalogAttacher({ scans: s.scans, segmentations: s.segmentations })));
}

/** Exit 1 when some of the batch failed (the rest was converted and reported). */
function exitForConversion(r: ConversionReport): void {
  if (r.imagesFailed > 0 || (r.filesRefused?.length ?? 0) > 0) process.exitCode = EXIT.partialFailure;
}

/** Runs an action; a failure prints one line naming the file and entry and exits 1 (2 for usage). */
function action<A extends unknown[]>(body: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await body(...args);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      process.stderr.write(`stratum convert: ${error.message}${error.code === 'VALIDATION' ? '' : ` [${error.code}]`}\n`);
      process.exitCode = error.code === 'VALIDATION' ? EXIT.usage : EXIT.partialFailure;
    }
  };
}

/** Options shared by every annotation-file converter (VGG, COCO). */
interface AnnotationOptions {
  images: string;
  classes?: string;
  preview?: boolean;
  compare?: string;
  intoCatalog?: boolean;
  json?: boolean;
}

function addAnnotationOptions(command: Command): Command {
  return command
    .option('--classes <file>', 'class dictionary JSON (see docs/ANNOTATIONS.md)')
    .option('--preview', 'also write colour overlays with a legend to <out>/preview/')
    .option('--compare <dir>', 'report agreement with reference masks <stem>.png in this folder')
    .option('--into-catalog', 'attach each mask to the catalog scan of the same image as a manual segmentation')
    .option('--json', 'print the report as JSON');
}

export function registerConvert(program: Command): void {
  const convert = program.command('convert').description('Convert annotations: VGG/VIA JSON, COCO, the old grey masks, class-index masks');

  addAnnotationOptions(
    convert
      .command('vgg <labels>')
      .description('VGG/VIA JSON (makesense.ai) -> single-channel class-index PNG masks <image stem>.png')
      .requiredOption('--images <dir>', 'folder of the annotated images')
      .option('--out <dir>', 'output folder for the masks (omit to validate only)')
      .option('--corrections <file>', 'apply a reviewed label-corrections file made for this labels file')
      .option('--propose-corrections <file>', 'write the relabels that put the layers back in anatomical order, for review')
      .option('--force', 'replace an existing --propose-corrections file'),
  ).action(
    action(async (labels: string, opts: AnnotationOptions & { out?: string; corrections?: string; proposeCorrections?: string; force?: boolean }, command: Command) => {
      const r = await maybeCatalog(opts.intoCatalog, command, (attach) =>
        convertVgg({
          labelsPath: labels,
          imagesDir: opts.images,
          outDir: opts.out,
          classesPath: opts.classes,
          correctionsPath: opts.corrections,
          proposeCorrectionsPath: opts.proposeCorrections,
          overwrite: opts.force === true,
          preview: opts.preview,
          compareDir: opts.compare,
          attach,
        }),
      );
      if (opts.json) printJson(r);
      else printConversion(r);
      exitForConversion(r);
    }),
  );

  addAnnotationOptions(
    convert
      .command('coco <files...>')
      .description('COCO instance files -> class-index PNG masks')
      .requiredOption('--images <dir>', 'folder of the images')
      .requiredOption('--out <dir>', 'output folder for the masks'),
  ).action(
    action(async (files: string[], opts: AnnotationOptions & { out: string }, command: Command) => {
      const r = await maybeCatalog(opts.intoCatalog, command, (attach) =>
        convertCoco({ cocoPaths: files, imagesDir: opts.images, outDir: opts.out, classesPath: opts.classes, preview: opts.preview, compareDir: opts.compare, attach }),
      );
      if (opts.json) printJson(r);
      else printConversion(r);
      exitForConversion(r);
    }),
  );

  convert
    .command('grey-masks <dir>')
    .description("The original project's stretched grey masks -> class-index PNG masks (encoding detected per mask)")
    .requiredOption('--out <dir>', 'output folder')
    .option('--compare <dir>', 'report agreement with reference masks <stem>.png in this folder')
    .option('--json', 'print the report as JSON')
    .action(
      action(async (dir: string, opts: { out: string; compare?: string; json?: boolean }) => {
        const r = await convertGreyMasks({ inDir: dir, outDir: opts.out, compareDir: opts.compare });
        if (opts.json) printJson(r);
        else {
          for (const m of r.masks) process.stdout.write(`${m.file}: ${m.error ? `REFUSED: ${m.error}` : `${m.encoding}${m.agreement === undefined ? '' : `, agreement ${pct(m.agreement)}`}`}\n`);
          process.stdout.write(`${r.decoded} decoded, ${r.refused} refused, into ${r.outDir}\n`);
          if (r.agreement) process.stdout.write(`agreement with reference masks: min ${pct(r.agreement.min)}, mean ${pct(r.agreement.mean)} (${r.agreement.compared} masks)\n`);
        }
        if (r.refused > 0) process.exitCode = EXIT.partialFailure;
      }),
    );

  convert
    .command('to-vgg <masksDir>')
    .description('Class-index masks -> VGG/VIA JSON polygons (for makesense.ai)')
    .requiredOption('--out <file>', 'the labels JSON to write')
    .option('--image-ext <ext>', 'extension of the image files the JSON names', '.jpeg')
    .option('--epsilon <px>', 'polygon simplification tolerance in pixels', (v) => Number.parseFloat(v), 0.75)
    .option('--force', 'replace an existing --out file')
    .option('--json', 'print the report as JSON')
    .action(
      action(async (masksDir: string, opts: { out: string; imageExt: string; epsilon: number; force?: boolean; json?: boolean }) => {
        if (!Number.isFinite(opts.epsilon) || opts.epsilon < 0) throw new AppError('VALIDATION', '--epsilon must be a number >= 0');
        const imageExt = opts.imageExt.startsWith('.') ? opts.imageExt : `.${opts.imageExt}`;
        const r = await masksToVgg({ masksDir, out: opts.out, imageExt, epsilon: opts.epsilon, overwrite: opts.force === true });
        if (opts.json) printJson(r);
        else process.stdout.write(`${r.images.length} images, ${r.images.reduce((s, i) => s + i.polygons, 0)} polygons written to ${r.out}; round trip min ${pct(r.roundTrip.min)}, mean ${pct(r.roundTrip.mean)}\n`);
      }),
    );
}
