import { CLASS_COUNT } from '../../../src-shared/domain/layers';
import type { OverlayMode } from '../../lib/overlay';

/** How the segmentation is drawn over the B-scan: which layers, fill or lines, opacity. Kept across scans. */
export class OverlayDisplay {
  /** Indexed by class; 0 (background) is never shown. */
  visible = $state<boolean[]>(Array.from({ length: CLASS_COUNT }, (_, i) => i > 0));
  on = $state(true);
  mode = $state<OverlayMode>('fill');
  opacity = $state(0.45);

  readonly anyVisible = $derived(this.visible.some((v, i) => i > 0 && v));

  toggle(index: number): void {
    this.visible[index] = !this.visible[index];
    this.on = true;
  }

  solo(index: number): void {
    this.visible = this.visible.map((_, i) => i === index);
    this.on = true;
  }

  setAll(on: boolean): void {
    this.visible = this.visible.map((_, i) => i > 0 && on);
  }

  /** The 0 key: all layers on when none is shown, else all off; the overlay itself on. */
  toggleAll(): void {
    this.setAll(!this.anyVisible);
    this.on = true;
  }
}
