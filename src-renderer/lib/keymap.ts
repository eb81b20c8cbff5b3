/**
 * The viewer's keyboard shortcuts, declared once: the key handler resolves keys through `resolveKey` and
 * the shortcut sheet lists `KEY_BINDINGS` (and the pointer gestures), so the two cannot drift apart.
 */

export type ViewerAction =
  | 'undo-stroke'
  | 'previous-boundary'
  | 'next-boundary'
  | 'leave-editing'
  | 'hold-while-editing'
  | 'next-scan'
  | 'previous-scan'
  | 'next-bscan'
  | 'previous-bscan'
  | 'first-bscan'
  | 'last-bscan'
  | 'toggle-device-lines'
  | 'zoom-in'
  | 'zoom-out'
  | 'fit'
  | 'toggle-layer'
  | 'all-layers'
  | 'toggle-overlay'
  | 'toggle-sheet'
  | 'escape';

export interface KeyBinding {
  /** `KeyboardEvent.key` values that trigger it (compared case-sensitively unless `ctrl`). */
  keys: readonly string[];
  /** Ctrl (Cmd on macOS) held; without it, a binding never fires with Ctrl, Cmd or Alt held. */
  ctrl?: boolean;
  /** Only while a boundary correction is open; such bindings win over the ones without. */
  editing?: boolean;
  /** How the sheet writes the keys. */
  label: string;
  description: string;
  action: ViewerAction;
}

const LAYER_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8'];

/** In resolution order: editing bindings first, so they shadow the browsing ones. */
export const KEY_BINDINGS: readonly KeyBinding[] = [
  { keys: ['z'], ctrl: true, editing: true, label: 'Ctrl+Z', description: 'While correcting: undo the last stroke', action: 'undo-stroke' },
  { keys: ['['], editing: true, label: '[', description: 'While correcting: previous boundary', action: 'previous-boundary' },
  { keys: [']'], editing: true, label: ']', description: 'While correcting: next boundary', action: 'next-boundary' },
  // Unsaved strokes are never thrown away by a stray key: Esc and the arrows wait for Save or Cancel.
  { keys: ['Escape'], editing: true, label: 'Esc', description: 'While correcting: leave correcting (only when nothing is drawn)', action: 'leave-editing' },
  { keys: ['ArrowRight', 'ArrowDown', 'ArrowLeft', 'ArrowUp'], editing: true, label: 'Arrows', description: 'While correcting: do nothing until Save or Cancel', action: 'hold-while-editing' },
  { keys: ['ArrowRight', 'ArrowDown'], label: '→ / ↓', description: 'Next scan', action: 'next-scan' },
  { keys: ['ArrowLeft', 'ArrowUp'], label: '← / ↑', description: 'Previous scan', action: 'previous-scan' },
  { keys: ['PageDown', '.'], label: 'PgDn / .', description: 'Next B-scan of a volume or radial scan', action: 'next-bscan' },
  { keys: ['PageUp', ','], label: 'PgUp / ,', description: 'Previous B-scan', action: 'previous-bscan' },
  { keys: ['Home'], label: 'Home', description: 'First B-scan', action: 'first-bscan' },
  { keys: ['End'], label: 'End', description: 'Last B-scan', action: 'last-bscan' },
  { keys: ['d', 'D'], label: 'D', description: "Device's own boundary lines on / off (files that carry them)", action: 'toggle-device-lines' },
  { keys: ['+', '='], label: '+', description: 'Zoom in', action: 'zoom-in' },
  { keys: ['-', '_'], label: '−', description: 'Zoom out', action: 'zoom-out' },
  { keys: ['f', 'F'], label: 'F', description: 'Fit the image to the window', action: 'fit' },
  { keys: LAYER_KEYS, label: '1 – 8', description: 'Show or hide a layer (NFL … Choroid)', action: 'toggle-layer' },
  { keys: ['0'], label: '0', description: 'All layers on / off', action: 'all-layers' },
  { keys: ['o', 'O'], label: 'O (letter)', description: 'Overlay on / off', action: 'toggle-overlay' },
  { keys: ['?'], label: '?', description: 'Show or hide this sheet', action: 'toggle-sheet' },
  { keys: ['Escape'], label: 'Esc', description: 'Close this sheet, else back to the catalog', action: 'escape' },
];

/** Pointer gestures, for the sheet only (the viewport's pointer handlers implement them). */
export const POINTER_GESTURES: readonly { label: string; description: string }[] = [
  { label: 'Wheel', description: 'Zoom at the cursor (over the localizer: next / previous B-scan)' },
  { label: 'Shift+Wheel', description: 'Next / previous B-scan' },
  { label: 'Click on the localizer', description: 'Show the B-scan nearest to the click' },
  { label: 'Drag', description: 'Pan (while correcting: draw the boundary; Shift-drag pans)' },
];

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/** The action a key press means in the viewer, with the key (the layer keys carry their layer), or null. */
export function resolveKey(press: KeyPress, editing: boolean): { action: ViewerAction; key: string } | null {
  const ctrl = press.ctrlKey || press.metaKey;
  for (const binding of KEY_BINDINGS) {
    if (binding.editing && !editing) continue;
    if (binding.ctrl ? !ctrl : ctrl || press.altKey) continue;
    const key = binding.ctrl ? press.key.toLowerCase() : press.key;
    if (binding.keys.includes(key)) return { action: binding.action, key: press.key };
  }
  return null;
}

/** Shortcuts never fire while the user types in a form field. */
export function isTypingTarget(target: EventTarget | null): boolean {
  const tag = target instanceof HTMLElement ? target.tagName : '';
  return tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA';
}
