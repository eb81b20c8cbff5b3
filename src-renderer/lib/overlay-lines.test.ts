import { describe, expect, it } from 'vitest';
import { LINE_PX, paintOverlay, type LabelMap } from './overlay';

/** A column of 3 x 20 pixels: rows 0-4 background, 5-11 class 1, 12-19 class 2. */
function bands(): LabelMap {
  const width = 3;
  const height = 20;
  const labels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) labels[y * width + x] = y < 5 ? 0 : y < 12 ? 1 : 2;
  return { width, height, labels };
}

function paintedRows(map: LabelMap): number[] {
  const out = { data: new Uint8ClampedArray(map.width * map.height * 4), width: map.width, height: map.height } as unknown as ImageData;
  paintOverlay(map, [false, true, true], 'boundary', out);
  const rows: number[] = [];
  for (let y = 0; y < map.height; y++) if (out.data[(y * map.width + 1) * 4 + 3] === 255) rows.push(y);
  return rows;
}

describe('lines mode', () => {
  it(`draws each layer edge ${LINE_PX} px thick, not 1 px`, () => {
    // class 1: top edge rows 5-6, bottom edge 10-11; class 2: top 12-13, bottom (image edge) 18-19
    expect(paintedRows(bands())).toEqual([5, 6, 10, 11, 12, 13, 18, 19]);
  });
});
