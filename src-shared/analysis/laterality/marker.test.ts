import { describe, expect, it } from 'vitest';
import { drawOrientationMarker, speckleImage } from '../../../test-support/orientation-marker';
import { readOrientationMarker } from './marker';

describe('readOrientationMarker on synthetic markers', () => {
  for (const [w, h] of [[750, 500], [879, 586], [1024, 768]] as const) {
    for (const nasalSide of ['left', 'right'] as const) {
      it(`reads N on the ${nasalSide} in a ${w}x${h} image`, () => {
        const img = speckleImage(w, h);
        const box = drawOrientationMarker(img, w, h, { nasalSide });
        const r = readOrientationMarker(img, w, h);
        expect(r).not.toBeNull();
        expect(r!.nasalSide).toBe(nasalSide);
        expect(r!.confidence).toBeGreaterThan(0.8);
        // the region to black out holds the box and its letters
        expect(r!.region.x).toBeLessThanOrEqual(box.left - 12);
        expect(r!.region.x + r!.region.width).toBeGreaterThanOrEqual(box.left + box.side + 14);
        expect(r!.region.y).toBeLessThanOrEqual(box.top - 13);
      });
    }
  }

  it('reads a dimmer marker placed elsewhere in the corner', () => {
    const img = speckleImage(750, 500, 60, 30, 3);
    drawOrientationMarker(img, 750, 500, { nasalSide: 'right', left: 120, top: 330, side: 90, value: 200 });
    expect(readOrientationMarker(img, 750, 500)?.nasalSide).toBe('right');
  });

  it('returns null without a marker, for a box without letters and for a box with the same letter twice', () => {
    expect(readOrientationMarker(speckleImage(750, 500), 750, 500)).toBeNull();
    const bare = speckleImage(750, 500);
    drawOrientationMarker(bare, 750, 500, { nasalSide: 'left', noLetters: true });
    expect(readOrientationMarker(bare, 750, 500)).toBeNull();
    for (const letter of ['N', 'T'] as const) {
      const twice = speckleImage(750, 500);
      drawOrientationMarker(twice, 750, 500, { nasalSide: 'left', bothLetters: letter });
      expect(readOrientationMarker(twice, 750, 500)).toBeNull();
    }
  });

  it('does not read a marker drawn outside the bottom-left corner', () => {
    const img = speckleImage(750, 500);
    drawOrientationMarker(img, 750, 500, { nasalSide: 'left', left: 600, top: 30 });
    expect(readOrientationMarker(img, 750, 500)).toBeNull();
  });

  it('returns null for images too small to hold one', () => {
    expect(readOrientationMarker(new Uint8Array(30 * 30), 30, 30)).toBeNull();
  });
});
