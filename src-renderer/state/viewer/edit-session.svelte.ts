import { BOUNDARY_COUNT, changedShare, strokeBoundary } from '../../../src-shared/analysis/boundary-edit';
import type { LabelMap } from '../../lib/overlay';

type Point = { x: number; y: number };

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
  saving = $state(false);
  error = $state<string | null>(null);

  readonly canUndo = $derived(this.#undo.length > 0);
  /** Share of labelled pixels that differ from the model's map. */
  readonly changedShare = $derived.by(() => changedShare(this.base.labels, this.#map.labels).share);

  constructor(
    start: LabelMap,
    private readonly base: LabelMap,
    /** The model segmentation the correction is measured against. */
    readonly baseSegmentationId: number,
  ) {
    this.#map = { width: start.width, height: start.height, labels: start.labels.slice() };
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
  }

  undo(): void {
    const previous = this.#undo.at(-1);
    if (!previous) return;
    this.#undo = this.#undo.slice(0, -1);
    this.#map.labels.set(previous);
    this.#changed();
  }

  /** The edited map as the `segment.saveCorrection` channel takes it: raw bytes, base64. */
  labelsBase64(): string {
    const bytes = this.#map.labels;
    let binary = '';
    const chunk = 0x8000;
    for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
    return btoa(binary);
  }

  #changed(): void {
    this.#map = { ...this.#map };
  }
}
