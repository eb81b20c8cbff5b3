import { AppError } from '../../../src-shared/contract';
import { round } from '../../../src-shared/analysis/numbers';
import { PIXEL_BUDGET } from '../../../src-shared/domain/limits';
import { encodeLabelPng } from '../catalog/label-map-png';
import { loadSharp } from '../formats/load-sharp';
import { checkPixelBudget } from '../import/pixel-budget';
import { IMAGE_FAIL_ON } from '../import/probe';
import { eyeOfScan, scaleOfFile, scaleOfScan } from './scan-scale';
import type { EyeAssessment } from '../../../src-shared/domain/laterality';
import type { EngineStatus } from '../../../src-shared/domain/app-info';
import type { ScanScale, SegmentationSummary } from '../../../src-shared/domain/segmentation';
import type { JobContext } from '../../jobs/job-runner';
import type { ImageLibrary } from '../catalog/library';
import type { ScansRepo } from '../catalog/scans';
import type { CatalogService } from '../catalog/catalog-service';
import type { SegmentationsRepo } from '../catalog/segmentations';
import type { ModelSaveOutcome } from '../../../src-shared/domain/review';
import { ModelRegistry } from '../models/registry';
import { configuredDefaultModel, modelRoots } from '../models/model-folders';
import { modelStatus } from '../models/model-status';
import type { EngineKind } from './engine';
import { InferenceClient, type InferenceOptions } from './inference-client';
import type { SegmentResult } from './postprocess';

export interface DecodedImage {
  grey: Uint8Array;
  width: number;
  height: number;
}

/**
 * Any image sharp reads (JPEG, PNG, TIFF, RGB or grey) -> 8-bit single-channel grey. The pixel budget is
 * checked from the header first (TOO_LARGE naming `file`), so an oversized image is never decoded.
 */
export async function decodeGrey(input: string | Buffer, file?: string): Promise<DecodedImage> {
  await checkPixelBudget(input, file);
  const sharp = loadSharp();
  try {
    const { data, info } = await sharp(input, { failOn: IMAGE_FAIL_ON, limitInputPixels: PIXEL_BUDGET }).greyscale().removeAlpha().raw().toBuffer({ resolveWithObject: true });
    if (info.channels === 1) return { grey: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
    const grey = new Uint8Array(info.width * info.height);
    for (let i = 0; i < grey.length; i++) grey[i] = data[i * info.channels]!;
    return { grey, width: info.width, height: info.height };
  } catch (error) {
    throw new AppError('BAD_INPUT', `Cannot decode image${typeof input === 'string' ? ` ${input}` : ''}: ${(error as Error).message}`);
  }
}

export interface SegmentImageOptions {
  /** Default: scaleOfFile(fileName), what the file's name says of the device (unknown for a bare buffer). */
  scale?: ScanScale;
  /** The image file's name, as evidence of the device; segmentImage(path) takes it from the path. */
  fileName?: string | null;
  /** The eye as known (the CLI's --eye: source 'user'); null: the marker in the image, else the anatomy, decides. */
  eye?: EyeAssessment | null;
  signal?: AbortSignal;
}

/** One catalog scan's run: the stored segmentation's id and what storing did (added, replaced, kept). */
export interface StoredRun {
  scanId: number;
  segmentationId: number;
  outcome: ModelSaveOutcome;
  summary: SegmentationSummary;
}

export interface SegmentImageResult extends SegmentResult {
  width: number;
  height: number;
}

export interface SegmentationOptions extends InferenceOptions {
  /**
   * The data folder whose settings (and models/) choose the default model when neither modelId nor
   * modelsRoot is given; default: resolveHome(). Read at each load, so a new choice applies to the next run.
   */
  home?: string;
}

/**
 * The segmentation engine behind the contract and the CLI: one inference worker per service (one model
 * load per process, until the default model is changed), decode on the calling thread's libuv pool,
 * network + post-processing in the worker.
 */
export class SegmentationService {
  private client: InferenceClient | null = null;
  /** The settings' chosen default when the client was made (a different one now: the next load switches). */
  private clientChoice: string | null = null;

  constructor(
    private readonly options: SegmentationOptions = {},
    private readonly catalog?: { scans: ScansRepo; segmentations: SegmentationsRepo; library: ImageLibrary; changes: Pick<CatalogService, 'changed'> },
  ) {}

  /** Which engine/model runs (or would run); never throws, never loads the model. */
  status(): EngineStatus {
    const loaded = this.client && !this.defaultChanged() ? this.client.status() : null;
    if (loaded) return loaded;
    try {
      return modelStatus(this.registry(), this.options);
    } catch (error) {
      return { engine: this.options.engine ?? 'onnx', executionProvider: null, model: null, problem: (error as Error).message };
    }
  }

  /** Loads the model in the worker (idempotent while the default stays) and returns what runs. */
  async load(): Promise<EngineStatus> {
    if (this.client && this.defaultChanged()) {
      // the default model was changed (app.setDefaultModel, `stratum models default`): a new worker loads
      // it; the old one answers what it was already asked, then exits
      const old = this.client;
      this.client = null;
      void old.closeWhenIdle();
    }
    return this.inference().start();
  }

  /** The registry as the settings stand now: the options' root only, else the data folder's models and chosen default. */
  private registry(): ModelRegistry {
    if (this.options.modelsRoot !== undefined) return new ModelRegistry(this.options.modelsRoot);
    return new ModelRegistry(modelRoots(this.options.home), configuredDefaultModel(this.options.home));
  }

  /** The default chosen in the settings, or null; null too where the options name the model or its root. */
  private chosenDefault(): string | null {
    if (this.options.modelId !== undefined || this.options.modelsRoot !== undefined) return null;
    return configuredDefaultModel(this.options.home);
  }

  private defaultChanged(): boolean {
    try {
      return this.chosenDefault() !== this.clientChoice;
    } catch {
      return true; // an unreadable settings file: the next load reports it
    }
  }

  /** Why better execution providers were skipped (after load). */
  get fallbacks(): string[] {
    return this.client?.fallbacks ?? [];
  }

  get loadMs(): number {
    return this.client?.loadMs ?? 0;
  }

  async segmentGrey(image: DecodedImage, options: SegmentImageOptions = {}): Promise<SegmentImageResult> {
    const { grey, width, height } = image;
    const r = await this.inference().segment(
      { grey, width, height, scale: options.scale ?? scaleOfFile(options.fileName ?? null, width, height), eye: options.eye ?? null },
      options.signal,
    );
    return { ...r, width, height };
  }

  /** Decode + segment one image file or buffer; timings include decode. */
  async segmentImage(input: string | Buffer, options: SegmentImageOptions = {}): Promise<SegmentImageResult> {
    const t0 = performance.now();
    const image = await decodeGrey(input, options.fileName ?? undefined);
    const decode = round(performance.now() - t0);
    const r = await this.segmentGrey(image, { ...options, fileName: options.fileName ?? (typeof input === 'string' ? input : null) });
    r.summary.timings = { decode, ...r.summary.timings };
    return r;
  }

  /**
   * Segments catalog scans and stores each result beside the scan's other segmentations (nothing is
   * discarded; see SegmentationsRepo.saveModelSegmentation). Asking before re-segmenting corrected or
   * signed-off scans is the caller's (resegment-consent.ts), before the work starts. One `catalog.changed`
   * per call names the scans it stored, also when a cancel or a failure ends it early.
   */
  async segmentScans(
    scanIds: number[],
    ctx?: JobContext,
    options: { continueOnError?: boolean } = {},
  ): Promise<StoredRun[]> {
    const cat = this.requireCatalog();
    const out: StoredRun[] = [];
    const status = await this.load();
    if (status.model) cat.segmentations.registerModel({ ...status.model });
    await ctx?.progress(0, 'Segmenting', `${scanIds.length} scans`);
    // queue everything at once (the worker batches), store results in order
    const runs = scanIds.map(async (scanId) => {
      const scan = cat.scans.require(scanId);
      return this.segmentImage(cat.library.read(scan.storedFile), { scale: scaleOfScan(scan), eye: eyeOfScan(scan), signal: ctx?.signal });
    });
    runs.forEach((p) => p.catch(() => undefined));
    try {
      await this.storeRuns(scanIds, runs, out, ctx, options);
    } finally {
      cat.changes.changed('segment', out.map((r) => r.scanId));
    }
    return out;
  }

  /** Stores each finished run in order (the worker finishes them in any order), with progress per scan. */
  private async storeRuns(scanIds: number[], runs: Promise<SegmentImageResult>[], out: StoredRun[], ctx: JobContext | undefined, options: { continueOnError?: boolean }): Promise<void> {
    const cat = this.requireCatalog();
    let done = 0;
    for (let i = 0; i < runs.length; i++) {
      let r: SegmentImageResult;
      try {
        r = await runs[i]!;
      } catch (error) {
        if (!options.continueOnError || (error instanceof AppError && (error.code === 'CANCELLED' || error.code === 'MODEL_UNAVAILABLE'))) throw error;
        continue;
      }
      const png = await encodeLabelPng(r.labels, r.width, r.height);
      const m = r.summary.model;
      // idempotent per scan + model version: a re-run (say after a kill) replaces or keeps, never duplicates
      const saved = cat.segmentations.saveModelSegmentation({ scanId: scanIds[i]!, kind: 'model', model: { id: m.id, version: m.version }, labelMapPng: png, summary: r.summary });
      const summary = saved.outcome === 'kept' ? (cat.segmentations.get(saved.id)?.summary ?? r.summary) : r.summary;
      // a scan imported without an eye takes the one its segmentation found (orientation marker, anatomy)
      cat.scans.recordDetectedEye(scanIds[i]!, r.summary.eye);
      out.push({ scanId: scanIds[i]!, segmentationId: saved.id, outcome: saved.outcome, summary });
      done++;
      await ctx?.progress(done / scanIds.length, 'Segmenting', `${done}/${scanIds.length}`);
    }
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = null;
    await c?.close();
  }

  private inference(): InferenceClient {
    if (!this.client) {
      const { home, ...inference } = this.options;
      const chosen = this.chosenDefault();
      // with a data folder: the model is resolved here, by its settings (a broken chosen default is the
      // registry's error, before any worker starts), and the worker loads it by id
      const modelId = inference.modelId ?? (home !== undefined && inference.modelsRoot === undefined ? this.registry().resolve().card.id : undefined);
      this.client = new InferenceClient({ ...inference, ...(modelId === undefined ? {} : { modelId }) });
      this.clientChoice = chosen;
    }
    return this.client;
  }

  private requireCatalog() {
    if (!this.catalog) throw new AppError('NOT_AVAILABLE', 'Segmentation was started without a catalog');
    return this.catalog;
  }
}

export type { EngineKind };
