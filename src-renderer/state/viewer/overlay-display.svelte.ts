import { CLASS_COUNT } from '../../../src-shared/domain/layers';
import type { OverlayMode } from '../../lib/overlay';
import { soloToggle } from '../../lib/solo';

/** Lines are thin: drawn nearly opaque by default; fills at a tint that lets the B-scan show through. */
const DEFAULT_OPACITY: Record<OverlayMode, number> = { fill: 0.45, boundary: 0.9 };

/** How the segmentation is drawn over the B-scan: which layers, fill or lines, opacity. Kept across scans. */
export class OverlayDisplay {
  /** Indexed by class; 0 (background) is never shown. */
  visible = $state<boolean[]>(Array.from({ length: CLASS_COUNT }, (_, i) => i > 0));
  on = $state(true);
  mode = $state<OverlayMode>('fill');
  opacity = $state(DEFAULT_OPACITY.fill);
  /** The layer shown alone by Solo; pressing its Solo again brings the layers back as they were. */
  soloed = $state<number | null>(null);
  #beforeSolo: boolean[] | null = null;
  /** Each mode keeps the opacity last chosen in it. */
  #opacityByMode: Record<OverlayMode, number> = { ...DEFAULT_OPACITY };

  readonly anyVisible = $derived(this.visible.some((v, i) => i > 0 && v));

  toggle(index: number): void {
    this.visible[index] = !this.visible[index];
    this.soloed = null;
    this.on = true;
  }

  /** Solo is a toggle: the layer alone, or back to the layers shown before. */
  solo(index: number): void {
    const next = soloToggle({ visible: this.visible, soloed: this.soloed, before: this.#beforeSolo }, index);
    this.visible = next.visible;
    this.soloed = next.soloed;
    this.#beforeSolo = next.before;
    this.on = true;
  }

  setAll(on: boolean): void {
    this.visible = this.visible.map((_, i) => i > 0 && on);
    this.soloed = null;
  }

  setMode(mode: OverlayMode): void {
    if (mode === this.mode) return;
    this.#opacityByMode[this.mode] = this.opacity;
    this.mode = mode;
    this.opacity = this.#opacityByMode[mode];
  }

  /** The 0 key: all layers on when none is shown, else all off; the overlay itself on. */
  toggleAll(): void {
    this.setAll(!this.anyVisible);
    this.on = true;
  }
}
