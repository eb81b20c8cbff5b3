import { describe, expect, it } from 'vitest';
import { layeredLabels } from '../../../test-support/label-maps';
import { layerBoundaries } from '../segmentation/boundaries';
import { ascanThicknessUm, mapsAvailable, surfacesFromDevice, surfacesFromLabels } from './surfaces';

const THICK = [4, 6, 5, 3, 9, 2, 4, 12]; // NFL..Choroid rows

describe('surfaces from a label map', () => {
  it('gives each layer its rows, the total ILM to BM, and zero for a layer absent at the pit', () => {
    // column 1 has no NFL and no GCL+IPL (a foveal pit): the retina starts with the INL
    const labels = layeredLabels(3, 80, 10, (x, c) => (x === 1 && c <= 2 ? 0 : THICK[c - 1]!));
    const s = surfacesFromLabels(layerBoundaries(labels, 3, 80), 3);
    // pixel-centre coordinates: the edge above row 10 lies at 9.5
    expect(s.ILM![0]).toBe(9.5);
    expect(s.BM![0]).toBe(9.5 + 4 + 6 + 5 + 3 + 9 + 2 + 4);
    const um = (key: Parameters<typeof ascanThicknessUm>[1]) => Array.from(ascanThicknessUm(s, key, 2)!);
    expect(um('NFL')).toEqual([8, 0, 8]);
    expect(um('GCL+IPL')).toEqual([12, 0, 12]);
    expect(um('INL')).toEqual([10, 10, 10]);
    expect(um('RPE')).toEqual([8, 8, 8]);
    expect(um('Choroid')).toEqual([24, 24, 24]);
    expect(um('total')).toEqual([66, 66 - 20, 66]);
    // the layers add up to the total
    const layers = ['NFL', 'GCL+IPL', 'INL', 'OPL', 'ONL', 'EZ', 'RPE'] as const;
    expect(layers.reduce((a, k) => a + um(k)[0]!, 0)).toBe(66);
  });

  it('a column without retina has no surface at all (no data, not zero)', () => {
    const labels = layeredLabels(2, 60, 5, (x, c) => (x === 0 ? 0 : THICK[c - 1]!));
    const t = ascanThicknessUm(surfacesFromLabels(layerBoundaries(labels, 2, 60), 2), 'total', 3)!;
    expect(t[0]).toBeNaN();
    expect(t[1]).toBe(33 * 3);
  });

  it('unlabelled rows between two layers (fluid) count to the layer above and to the total', () => {
    const labels = layeredLabels(1, 80, 10, (_x, c) => THICK[c - 1]!);
    // clear 3 rows at the bottom of the ONL (rows 10+4+6+5+3+6 .. +9)
    for (let y = 34; y < 37; y++) labels[y] = 0;
    const s = surfacesFromLabels(layerBoundaries(labels, 1, 80), 1);
    expect(ascanThicknessUm(s, 'ONL', 1)![0]).toBe(9);
    expect(ascanThicknessUm(s, 'total', 1)![0]).toBe(33);
  });
});

describe('device lines as surfaces', () => {
  it('maps Heidelberg and Topcon names onto the surfaces, and crossing lines to zero thickness', () => {
    const h = surfacesFromDevice({ ILM: Float32Array.of(10), BM: Float32Array.of(40), RNFL: Float32Array.of(12), PR1: Float32Array.of(30), RPE: Float32Array.of(41) });
    expect(mapsAvailable(h)).toEqual(['total', 'NFL', 'RPE']);
    expect(ascanThicknessUm(h, 'RPE', 3)![0]).toBe(0);
    const t = surfacesFromDevice({ ILM: Float32Array.of(5), RNFL_GCL: Float32Array.of(9), IZ_RPE: Float32Array.of(50), BM: Float32Array.of(55), CSI: Float32Array.of(90) });
    expect(mapsAvailable(t)).toEqual(['total', 'NFL', 'RPE', 'Choroid']);
  });
});
