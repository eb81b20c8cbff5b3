const MIN_ZOOM = 0.1;
const MAX_ZOOM = 16;
/** One step of the zoom buttons and the +/− keys. */
export const ZOOM_STEP = 1.25;
/** One wheel notch. */
export const WHEEL_STEP = 1.15;
/** The hover readout bar covers the bottom of the viewport; fitting keeps the image above it. */
const READOUT_BAR_PX = 28;

interface Transform {
  zoom: number;
  panX: number;
  panY: number;
}

/**
 * How the B-scan sits in the viewport: zoom, pan, brightness and contrast. In fit mode the transform is
 * derived from the viewport and image sizes, so it follows window resizes; zooming or panning leaves it.
 */
export class Viewport {
  /** The viewport element's size in CSS pixels (bound to its client size). */
  width = $state(0);
  height = $state(0);
  /** The B-scan's size in image pixels; 0 until one is shown. */
  imageWidth = $state(0);
  imageHeight = $state(0);
  fitMode = $state(true);
  brightness = $state(100);
  contrast = $state(100);
  #manual = $state<Transform>({ zoom: 1, panX: 0, panY: 0 });

  readonly #fitted = $derived.by((): Transform | null => {
    const w = this.width;
    const h = this.height - READOUT_BAR_PX;
    if (w <= 0 || this.imageWidth <= 0 || this.imageHeight <= 0) return null;
    const zoom = Math.max(MIN_ZOOM, Math.min(w / this.imageWidth, h / this.imageHeight));
    return { zoom, panX: (w - this.imageWidth * zoom) / 2, panY: Math.max(0, (h - this.imageHeight * zoom) / 2) };
  });
  readonly #current = $derived((this.fitMode ? this.#fitted : null) ?? this.#manual);

  get zoom(): number {
    return this.#current.zoom;
  }
  get panX(): number {
    return this.#current.panX;
  }
  get panY(): number {
    return this.#current.panY;
  }

  fit(): void {
    this.fitMode = true;
  }

  /** Brightness or contrast moved from 100 %. */
  get adjusted(): boolean {
    return this.brightness !== 100 || this.contrast !== 100;
  }

  /** Brightness and contrast back to the image as stored. */
  resetImage(): void {
    this.brightness = 100;
    this.contrast = 100;
  }

  /** Zooms to `next`, keeping the image point under (cx, cy) (viewport pixels; default its centre) still. */
  setZoom(next: number, cx = this.width / 2, cy = this.height / 2): void {
    const { zoom, panX, panY } = this.#current;
    const z = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, next));
    this.#manual = { zoom: z, panX: cx - ((cx - panX) * z) / zoom, panY: cy - ((cy - panY) * z) / zoom };
    this.fitMode = false;
  }

  zoomBy(factor: number, cx?: number, cy?: number): void {
    this.setZoom(this.zoom * factor, cx, cy);
  }

  /** Moves the image to (panX, panY), keeping the current zoom. */
  panTo(panX: number, panY: number): void {
    this.#manual = { zoom: this.zoom, panX, panY };
    this.fitMode = false;
  }

  /** The image point under a viewport point (fractional image pixels). */
  toImage(x: number, y: number): { x: number; y: number } {
    return { x: (x - this.panX) / this.zoom, y: (y - this.panY) / this.zoom };
  }

  /** The image pixel under a viewport point, or null outside the image. */
  pixelAt(x: number, y: number): { x: number; y: number } | null {
    const p = this.toImage(x, y);
    const px = Math.floor(p.x);
    const py = Math.floor(p.y);
    return px >= 0 && py >= 0 && px < this.imageWidth && py < this.imageHeight ? { x: px, y: py } : null;
  }
}
