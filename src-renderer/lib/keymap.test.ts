import { describe, expect, it } from 'vitest';
import { KEY_BINDINGS, resolveKey, type KeyPress } from './keymap';

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, altKey: false, ...mods });

describe('viewer keymap', () => {
  it('maps the browsing keys to their actions', () => {
    expect(resolveKey(press('ArrowRight'), false)?.action).toBe('next-scan');
    expect(resolveKey(press('ArrowUp'), false)?.action).toBe('previous-scan');
    expect(resolveKey(press('='), false)?.action).toBe('zoom-in');
    expect(resolveKey(press('_'), false)?.action).toBe('zoom-out');
    expect(resolveKey(press('F'), false)?.action).toBe('fit');
    expect(resolveKey(press('0'), false)?.action).toBe('all-layers');
    expect(resolveKey(press('o'), false)?.action).toBe('toggle-overlay');
    expect(resolveKey(press('?'), false)?.action).toBe('toggle-sheet');
    expect(resolveKey(press('Escape'), false)?.action).toBe('escape');
    expect(resolveKey(press('5'), false)).toEqual({ action: 'toggle-layer', key: '5' });
    expect(resolveKey(press('9'), false)).toBeNull();
    expect(resolveKey(press('PageDown'), false)?.action).toBe('next-bscan');
    expect(resolveKey(press(','), false)?.action).toBe('previous-bscan');
    expect(resolveKey(press('End'), false)?.action).toBe('last-bscan');
    expect(resolveKey(press('d'), false)?.action).toBe('toggle-device-lines');
  });

  it('while correcting: undo, boundary keys, and Esc/arrows held so unsaved strokes survive', () => {
    expect(resolveKey(press('Z', { ctrlKey: true }), true)?.action).toBe('undo-stroke');
    expect(resolveKey(press('z', { metaKey: true }), true)?.action).toBe('undo-stroke');
    expect(resolveKey(press(']'), true)?.action).toBe('next-boundary');
    expect(resolveKey(press('['), true)?.action).toBe('previous-boundary');
    expect(resolveKey(press('Escape'), true)?.action).toBe('leave-editing');
    expect(resolveKey(press('ArrowLeft'), true)?.action).toBe('hold-while-editing');
    // Layers and zoom still work while correcting.
    expect(resolveKey(press('3'), true)?.action).toBe('toggle-layer');
  });

  it('editing keys do nothing outside a correction, and modifiers keep keys from firing', () => {
    expect(resolveKey(press('z', { ctrlKey: true }), false)).toBeNull();
    expect(resolveKey(press(']'), false)).toBeNull();
    expect(resolveKey(press('ArrowRight', { altKey: true }), false)).toBeNull();
    expect(resolveKey(press('1', { ctrlKey: true }), false)).toBeNull();
  });

  it('every binding the sheet lists is reachable through resolveKey', () => {
    for (const binding of KEY_BINDINGS) {
      for (const key of binding.keys) {
        const hit = resolveKey(press(key, { ctrlKey: Boolean(binding.ctrl) }), Boolean(binding.editing));
        expect(hit?.action, `${binding.label} (${key})`).toBe(binding.action);
      }
    }
  });
});
