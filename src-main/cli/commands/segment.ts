import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { round } from '../../../src-shared/analysis/numbers';
import { findingsOf, needsReview } from '../../../src-shared/analysis/segmentation/quality';
import { AppError } from '../../../src-shared/contract';
import type { SegmentationSummary } from '../../../src-shared/domain/segmentation';
import { SegmentationService, type SegmentImageResult } from '../../services/segmentation/segmentation-service';
import { encodeLabelPng } from '../../services/catalog/label-map-png';
import type { EngineKind } from '../../services/segmentation/engine';
import { currentOf, reviewLabel, reviewStateOf, segmentationName } from '../../../src-shared/domain/review';
import { requireResegmentConsent } from '../../services/segmentation/resegment-consent';
import { EXIT, printJson, reportError, withServices } from '../context';
import { explainImageError } from '../image-problem';
import { addSelectionOptions, hasSelection, parseScanFilter, selectScanIds, type SelectionCliOptions } from '../scan-filter-options';
import { count } from '../text-table';

/** What an image's flagged model output is, by the state table: nobody can have signed it off. */
const BARE_FLAGGED = reviewStateOf({ id: 0, kind: 'model', modelId: null, modelVersion: null, createdAt: '', correctedBy: null, signOff: null, flagged: true });
import { runJobWithProgress } from '../progress';
import { segmentSeriesScans, seriesIds, seriesRunLine } from '../series-segment';

/** The quality findings of a summary as indented lines, one reason each ('' when none). */
export function reasonLines(summary: SegmentationSummary): string {
  return findingsOf(summary.flags).map((f) => `  why (${f.severity}): ${f.message}\n`).join('');
}

interface SegmentOptions extends SelectionCliOptions {
  out?: string;
  model?: string;
  engine?: string;
  scan?: string[];
  force?: boolean;
  json?: boolean;
}

/** What `<stem>.json` holds: the summary, led by the keys a reader looks for first. */
export function segmentationJson(input: string, r: SegmentImageResult | { summary: SegmentationSummary }): Record<string, unknown> {
  const s = r.summary;
  return {
    input,
    model: s.model,
    engine: s.engine,
    scale: { ...s.scale, unit: s.total.unit },
    fovea: s.fovea,
    zones: s.zones,
    eye: s.eye,
    layers: s.layers,
    total: s.total,
    confidence: s.confidence,
    flags: s.flags,
    timings: s.timings,
    width: s.width,
    height: s.height,
    ...(s.inferenceSize ? { inferenceSize: s.inferenceSize } : {}),
  };
}

/** `a/b/NORMAL26.jpeg` -> `NORMAL26`; repeated stems get `-2`, `-3`, ... */
function uniqueStems(files: string[]): string[] {
  const seen = new Map<string, number>();
  return files.map((f) => {
    const stem = basename(f, extname(f));
    const n = (seen.get(stem) ?? 0) + 1;
    seen.set(stem, n);
    return n === 1 ? stem : `${stem}-${n}`;
  });
}

function parseEngine(engine: string | undefined): EngineKind | undefined {
  if (engine === undefined) return undefined;
  if (engine === 'onnx' || engine === 'tfjs') return engine;
  throw new AppError('VALIDATION', `--engine must be onnx or tfjs, not "${engine}"`);
}

/** "onnx/cpu"; before a model loaded (every image failed first), the engine alone. */
function engineText(status: { engine: string; executionProvider: string | null; precision?: string }): string {
  const precision = status.precision === 'int8' ? ' int8' : '';
  return status.executionProvider ? `${status.engine}/${status.executionProvider}${precision}` : status.engine;
}

function modelLine(s: SegmentationSummary['model'] | null | undefined, ep: string): string {
  if (!s) return '';
  return `model ${s.id} ${s.version}${s.trained ? '' : ' (UNTRAINED placeholder: results are not meaningful)'}; engine ${ep}`;
}

export function registerSegment(program: Command): void {
  addSelectionOptions(
    program
      .command('segment')
      .description(
        'Segment B-scans into 8 retinal layers. Image files: writes <stem>.png (class 0-8 per pixel) and <stem>.json (thickness, fovea, flags) ' +
          'to --out. Catalog scans (--scan ID..., or a selection: --tag, --eye, --patient, --from/--to, --unsegmented, --flagged, --review, --all): ' +
          'stores the results in the catalog. With image files, --eye OD|OS gives their eye.',
      )
      .argument('[images...]', 'image files (JPEG, PNG, TIFF; grey or RGB)'),
  )
    .option('--out <dir>', 'output folder (required for images; optional with --scan)')
    .option('--model <id>', 'model id under resources/models (default: the trained model; the untrained placeholder only as --model stratum-placeholder)')
    .option('--engine <engine>', 'onnx | tfjs (default: what the model format needs)')
    .option('--scan <id...>', 'segment catalog scans and store the results in the catalog, beside their other segmentations')
    .option('--force', 're-segment scans that have a correction or a sign-off (both are kept; without it: nothing is done, exit status 5)')
    .option('--json', 'print one JSON object')
    .action(async (images: string[], opts: SegmentOptions, command: Command) => {
      const engine = parseEngine(opts.engine);
      const selection = hasSelection(images.length > 0 ? { ...opts, eye: undefined } : opts);
      if (images.length > 0 && (selection || opts.scan?.length)) throw new AppError('VALIDATION', 'Give image files or catalog scans (--scan ID..., a selection), not both');
      if (opts.scan?.length && selection) throw new AppError('VALIDATION', 'Give --scan ID... or a selection (--tag, ..., --all), not both');
      if (opts.scan?.length || selection) return segmentCatalogScans(opts, engine, command);
      if (opts.eye !== undefined && opts.eye !== 'OD' && opts.eye !== 'OS') throw new AppError('VALIDATION', '--eye must be OD or OS for image files');
      if (images.length === 0) throw new AppError('VALIDATION', 'Give image files to segment, or catalog scans: --scan ID..., a selection (--tag, --eye, ..., --unsegmented) or --all');
      if (!opts.out) throw new AppError('VALIDATION', '--out DIR is required');
      const out = resolve(opts.out);
      mkdirSync(out, { recursive: true });
      const t0 = performance.now();
      // image files only: no catalog, so no container (and no catalog lock held while they run)
      const service = new SegmentationService({ modelId: opts.model, engine });
      const stems = uniqueStems(images);
      const results: { input: string; png?: string; json?: string; error?: string; code?: string; reason?: string; likelyFailure?: boolean; needsReview?: boolean; reasons?: string[] }[] = [];
      try {
        service.load().catch(() => undefined); // start loading the model while the first images decode
        const eye = opts.eye === undefined ? null : { value: opts.eye as 'OD' | 'OS', source: 'user' as const, confidence: 1 };
        const one = async (file: string, stem: string) => {
          try {
            const r = await service.segmentImage(file, { eye });
            const t = performance.now();
            const png = await encodeLabelPng(r.labels, r.width, r.height);
            r.summary.timings.encode = round(performance.now() - t);
            const pngPath = join(out, `${stem}.png`);
            const jsonPath = join(out, `${stem}.json`);
            writeFileSync(pngPath, png);
            writeFileSync(jsonPath, `${JSON.stringify(segmentationJson(file, r))}\n`);
            const flags = r.summary.flags;
            results.push({ input: file, png: pngPath, json: jsonPath, likelyFailure: flags.likelyFailure, needsReview: needsReview(flags), reasons: flags.reasons });
            const downscaled = r.summary.inferenceSize ? ` [segmented at ${r.summary.inferenceSize.width}x${r.summary.inferenceSize.height}, downscaled to bound memory]` : '';
            const verdict = needsReview(flags) ? ` [${reviewLabel(BARE_FLAGGED)}${flags.likelyFailure ? ': likely failure' : ''}]` : '';
            if (!opts.json) process.stdout.write(`${stem}: ${r.summary.total.mean ?? '-'} ${r.summary.total.unit} mean TRT${verdict}${downscaled}\n${reasonLines(r.summary)}`);
          } catch (caught) {
            if (caught instanceof AppError && caught.code === 'MODEL_UNAVAILABLE') throw caught;
            const error = await explainImageError(resolve(file), caught); // import's reasons, not the decoder's words
            const code = error instanceof AppError ? error.code : 'INTERNAL';
            const reason = error instanceof AppError && typeof error.details?.reason === 'string' ? error.details.reason : undefined;
            results.push({ input: file, error: (error as Error).message, code, ...(reason ? { reason } : {}) });
            const message = (error as Error).message;
            process.stderr.write(`stratum: ${message.includes(file) || message.includes(resolve(file)) ? message : `${file}: ${message}`} [${reason ?? code}]\n`);
          }
        };
        // keep a bounded number of images in flight: decode of the next overlaps inference of the current
        const inflight = new Set<Promise<void>>();
        for (let i = 0; i < images.length; i++) {
          const p: Promise<void> = one(images[i]!, stems[i]!).finally(() => inflight.delete(p));
          inflight.add(p);
          if (inflight.size >= 8) await Promise.race(inflight);
        }
        await Promise.all(inflight);
        const status = service.status();
        const seconds = Math.round(performance.now() - t0) / 1000;
        const failed = results.filter((r) => r.error).length;
        if (opts.json) {
          printJson({ engine: status, fallbacks: service.fallbacks, images: images.length, failed, seconds, results });
        } else {
          process.stderr.write(`${images.length - failed}/${images.length} segmented in ${seconds} s; ${modelLine(status.model ? { ...status.model } : null, engineText(status))}\n`);
        }
        if (failed > 0) process.exitCode = EXIT.partialFailure;
      } finally {
        await service.close();
      }
    });
}

async function segmentCatalogScans(opts: SegmentOptions, engine: EngineKind | undefined, command: Command): Promise<void> {
  const given = opts.scan?.map((v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new AppError('VALIDATION', `--scan takes scan ids, not "${v}"`);
    return n;
  });
  const filter = given ? null : parseScanFilter(opts);
  await withServices(command, async (s) => {
    const ids = given ?? selectScanIds(s.scans, filter!, opts);
    for (const id of given ?? []) s.scans.require(id); // NOT_FOUND (exit 3) before any work
    try {
      requireResegmentConsent(s.segmentations, ids, opts.force);
    } catch (error) {
      process.exitCode = reportError(error);
      if (error instanceof AppError && error.code === 'CONFIRMATION_REQUIRED') process.stderr.write('stratum: nothing was segmented; pass --force to go ahead\n');
      return;
    }
    // the container's engine (closed with it), with the model and engine asked for
    const service = s.segmentation;
    try {
      // one scan that cannot be segmented (its stored file damaged) is reported; the rest carry on
      // a series of several B-scans goes B-scan by B-scan, resuming where a stopped run left off (series-segment.ts)
      const seriesRuns = await segmentSeriesScans(s, seriesIds(s, ids));
      const singles = ids.filter((id) => !seriesRuns.some((r) => r.scanId === id));
      const stored = singles.length ? await runJobWithProgress(s, 'segment-batch', `Segment ${count(singles.length, 'scan')}`, (ctx) => service.segmentScans(singles, ctx, { continueOnError: true }), { stageLines: true }) : [];
      const done = new Set([...stored.map((r) => r.scanId), ...seriesRuns.map((r) => r.scanId)]);
      const failed = ids.filter((id) => !done.has(id));
      if (failed.length > 0) process.exitCode = EXIT.partialFailure;
      if (opts.out) {
        const out = resolve(opts.out);
        mkdirSync(out, { recursive: true });
        for (const r of stored) {
          const seg = s.segmentations.get(r.segmentationId);
          if (seg) writeFileSync(join(out, `scan-${r.scanId}.png`), seg.labelMapPng);
          writeFileSync(join(out, `scan-${r.scanId}.json`), `${JSON.stringify(segmentationJson(`scan:${r.scanId}`, r))}\n`);
        }
      }
      const after = stored.map((r) => {
        const current = currentOf(s.segmentations.facts(r.scanId));
        return { ...r, current: current ? segmentationName(current) : null, state: s.scans.require(r.scanId).reviewState };
      });
      if (opts.json) {
        printJson({
          engine: service.status(),
          failed,
          series: seriesRuns,
          stored: after.map((r) => ({
            scanId: r.scanId, segmentationId: r.segmentationId, outcome: r.outcome, likelyFailure: r.summary.flags.likelyFailure,
            needsReview: needsReview(r.summary.flags), reasons: r.summary.flags.reasons, current: r.current, reviewState: r.state,
          })),
        });
      } else {
        for (const r of after) {
          process.stdout.write(`scan ${r.scanId}: segmentation ${r.segmentationId} ${r.outcome}, ${r.summary.total.mean ?? '-'} ${r.summary.total.unit} mean TRT; current: ${r.current ?? '-'} (${r.state})\n${reasonLines(r.summary)}`);
        }
        for (const r of seriesRuns) process.stdout.write(seriesRunLine(r));
        const st = service.status();
        if (failed.length > 0) process.stderr.write(`stratum: ${count(failed.length, 'scan')} could not be segmented (\`stratum check\` tells whether their stored files are damaged): ${failed.join(', ')}\n`);
        process.stderr.write(`${count(done.size, 'scan')} of ${ids.length} segmented; ${modelLine(st.model, engineText(st))}\n`);
      }
    } catch (error) {
      process.exitCode = reportError(error);
    }
  }, { segmentation: { modelId: opts.model, engine } });
}
