import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { evenly, syntheticVolume } from '../../../test-support/synthetic-volume';
import { analyseVolume } from '../../../src-shared/analysis/enface/volume-analysis';
import { COLOUR_LUTS, colourOf, scaleForValues } from '../../../src-shared/analysis/enface/colour-scale';
import { renderMapFigure } from './render-map';

describe('map rendering', () => {
  it('draws the map through the LUT, no-data grey beyond the scan, the grid values and the µm legend', async () => {
    // a flat 300 µm retina on the left half of the grid, 250 µm on the right; the scan covers only y 3..5
    const v = syntheticVolume({ ys: evenly(3, 5, 41), x0: 1, x1: 7, width: 121, axialUmPerPx: 2, surfaces: { ILM: () => 0, BM: (x) => (x < 4 ? 150 : 125) } });
    const a = analyseVolume(v, { eye: 'OS', userFoveaMm: { x: 4, y: 4 } });
    const scale = { name: 'viridis' as const, min: 200, max: 410, unit: 'um' as const }; // 250 and 300 fall mid-way between LUT entries
    const { svg, png } = await renderMapFigure({ map: a.mapSet.maps.total!, centre: a.fovea.centreMm, stats: a.grids.total!, eye: 'OS', scale }, 'Total retina', 'synthetic');
    // OS: nasal on the image left, where the retina is 300 µm
    expect(svg).toContain('>300<');
    expect(svg).toContain('>250<');
    expect(svg).toMatch(/partial \d+%/);
    expect(svg).toContain('>µm<');
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect(info.width).toBe(840);
    // the figure maps mm to points: find a pixel of the 300 µm colour and one of the no-data grey
    const hex = (x: number, y: number) => {
      const i = (y * info.width + x) * info.channels;
      return `#${[data[i]!, data[i + 1]!, data[i + 2]!].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
    };
    const counts = new Map<string, number>();
    for (let y = 0; y < info.height; y += 2) for (let x = 0; x < info.width; x += 2) counts.set(hex(x, y), (counts.get(hex(x, y)) ?? 0) + 1);
    // large areas of exactly these colours (librsvg draws the embedded raster without colour shifts)
    expect(counts.get(colourOf(scale, 300)) ?? 0, [...counts].sort((a, b) => b[1] - a[1]).slice(0, 5).join(' ')).toBeGreaterThan(5000);
    expect(counts.get(colourOf(scale, 250)) ?? 0).toBeGreaterThan(5000);
    expect(counts.get('#d4d4d4') ?? 0).toBeGreaterThan(5000);
  });

  it('the colour scales are the 256-entry perceptual LUTs and a scale spans the bulk of the values', () => {
    expect(COLOUR_LUTS.viridis.length).toBe(768);
    expect(colourOf({ name: 'viridis', min: 0, max: 1, unit: 'um' }, 0)).toBe('#440154');
    expect(colourOf({ name: 'viridis', min: 0, max: 1, unit: 'um' }, 1)).toBe('#fde725');
    expect(colourOf({ name: 'cividis', min: 0, max: 1, unit: 'um' }, 0)).toBe('#00224e');
    const values = Float32Array.from({ length: 1000 }, (_, i) => 250 + i / 10);
    values[0] = 10; // an outlier
    expect(scaleForValues(values)).toMatchObject({ min: 250, max: 350 });
  });
});
