import { BOUNDARY_COUNT, changedShare, strokeBoundary } from '../../../src-shared/analysis/boundary-edit';
import { checkCorrection, type CorrectionReview } from '../../../src-shared/analysis/correction-checks';
import type { LabelMap } from '../../lib/overlay';

type Point = { x: number; y: number };

/** What the correction checks read besides the maps: the B-scan's grey levels and the axial spacing. */
export interface CorrectionContext {
  image: Uint8Array | null;
  axialUmPerPx: number | null;
}

/** The boundary a session starts on (index into the boundary list: the choroid's bottom). */
const DEFAULT_BOUNDARY = 7;

/**
 * One boundary-correction session in the viewer, reactive: a private copy of the label map that strokes
 * edit, an undo stack (one entry per stroke), and the model's map the changed share is measured against.
 * Strokes edit the pixels in place (a 750x500 map per pointer move is too much to copy); `map` is then
 * replaced by a new object over the same pixels, so everything that reads it (overlay, readouts,
 * `changedShare`) follows without a counter.
 */
export class BoundaryEditSession {
  #map = $state.raw<LabelMap>({ width: 0, height: 0, labels: new Uint8Array(0) });
  #undo = $state.raw<readonly Uint8Array[]>([]);
  #boundary = $state(DEFAULT_BOUNDARY);
  /** The last point of the stroke in progress; only the pointer handlers read it. */
  #last: Point | null = null;
  /** The map the session started from: what the checks compare the strokes with. */
  readonly #start: LabelMap;
  saving = $state(false);
  error = $state<string | null>(null);
  /**
   * Warnings about the strokes so far (a boundary drawn out of the tissue or onto its neighbour) and the
   * scan's TRT before and after; checked when a stroke ends or is undone, not on every pointer move.
   */
  review = $state.raw<CorrectionReview | null>(null);

  readonly canUndo = $derived(this.#undo.length > 0);
  /** Share of labelled pixels that differ from the model's map. */
  readonly changedShare = $derived.by(() => changedShare(this.base.labels, this.#map.labels).share);

  constructor(
    start: LabelMap,
    private readonly base: LabelMap,
    /** The model segmentation the correction is measured against. */
    readonly baseSegmentationId: number,
    private readonly context: CorrectionContext = { image: null, axialUmPerPx: null },
  ) {
    this.#map = { width: start.width, height: start.height, labels: start.labels.slice() };
    this.#start = start;
  }

  get map(): LabelMap {
    return this.#map;
  }

  get boundary(): number {
    return this.#boundary;
  }

  get stroking(): boolean {
    return this.#last !== null;
  }

  setBoundary(b: number): void {
    this.#boundary = (b + BOUNDARY_COUNT) % BOUNDARY_COUNT;
  }

  begin(p: Point): void {
    this.#undo = [...this.#undo, this.#map.labels.slice()];
    this.#last = p;
    strokeBoundary(this.#map, this.#boundary, p, p);
    this.#changed();
  }

  extend(p: Point): void {
    if (!this.#last) return;
    strokeBoundary(this.#map, this.#boundary, this.#last, p);
    this.#last = p;
    this.#changed();
  }

  end(): void {
    this.#last = null;
    this.#check();
  }

  undo(): void {
    const previous = this.#undo.at(-1);
    if (!previous) return;
    this.#undo = this.#undo.slice(0, -1);
    this.#map.labels.set(previous);
    this.#changed();
    this.#check();
  }

  /** The edited map as the `segment.saveCorrection` channel takes it: raw bytes, base64. */
  labelsBase64(): string {
    const bytes = this.#map.labels;
    let binary = '';
    const chunk = 0x8000;
    for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
    return btoa(binary);
  }

  #check(): void {
    const image = this.context.image?.length === this.#map.labels.length ? this.context.image : null;
    this.review = checkCorrection({ before: this.#start, after: this.#map, image, axialUmPerPx: this.context.axialUmPerPx });
  }

  #changed(): void {
    this.#map = { ...this.#map };
  }
}
