import { BOUNDARY_COUNT, changedShare, strokeBoundary } from '../../src-shared/analysis/boundary-edit';
import type { LabelMap } from './overlay';

type Point = { x: number; y: number };

/**
 * One boundary-correction session in the viewer: a private copy of the label map that strokes edit, an
 * undo stack (one entry per stroke), and the model's map the changed share is measured against.
 * Plain data, never reactive: the viewer bumps a counter to repaint.
 */
export class BoundaryEditSession {
  readonly map: LabelMap;
  boundary: number;
  private readonly undoStack: Uint8Array[] = [];
  private last: Point | null = null;

  constructor(
    start: LabelMap,
    private readonly base: LabelMap,
    /** The model segmentation the correction is measured against. */
    readonly baseSegmentationId: number,
    boundary = 7,
  ) {
    this.map = { width: start.width, height: start.height, labels: start.labels.slice() };
    this.boundary = boundary;
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get stroking(): boolean {
    return this.last !== null;
  }

  setBoundary(b: number): void {
    this.boundary = (b + BOUNDARY_COUNT) % BOUNDARY_COUNT;
  }

  begin(p: Point): void {
    this.undoStack.push(this.map.labels.slice());
    this.last = p;
    strokeBoundary(this.map, this.boundary, p, p);
  }

  extend(p: Point): void {
    if (!this.last) return;
    strokeBoundary(this.map, this.boundary, this.last, p);
    this.last = p;
  }

  end(): void {
    this.last = null;
  }

  undo(): void {
    const previous = this.undoStack.pop();
    if (previous) this.map.labels.set(previous);
  }

  changedShare(): number {
    return changedShare(this.base.labels, this.map.labels).share;
  }

  /** The edited map as the `segment.saveCorrection` channel takes it: raw bytes, base64. */
  labelsBase64(): string {
    const bytes = this.map.labels;
    let binary = '';
    const chunk = 0x8000;
    for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
    return btoa(binary);
  }
}
