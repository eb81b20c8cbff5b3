import { describe, expect, it } from 'vitest';
import { auditLayerOrder } from './layer-order-audit';
import type { AnnotatedPolygon, ImageAnnotation } from './vgg';

/** A full-width horizontal band from row `top` to row `bottom`, labelled `classIndex`. */
function band(region: number, classIndex: number, top: number, bottom: number, x0 = 0, x1 = 199): AnnotatedPolygon {
  return { label: `L${classIndex}`, classIndex, xs: [x0, x1, x1, x0], ys: [top, top, bottom, bottom], entry: `region ${region}`, region };
}

/** Eight stacked bands in anatomical order: class k spans rows 10k .. 10k+8. */
const stacked = (): AnnotatedPolygon[] => Array.from({ length: 8 }, (_, i) => band(i, i + 1, 10 * (i + 1), 10 * (i + 1) + 8));
const image = (polygons: AnnotatedPolygon[]): ImageAnnotation => ({ filename: 'synthetic.png', polygons });

describe('layer order audit', () => {
  it('finds nothing wrong with layers in anatomical order', () => {
    expect(auditLayerOrder(image(stacked()))).toEqual([]);
  });

  it('flags a top layer labelled Choroid and proposes the missing NFL', () => {
    const polys = stacked();
    polys[0] = { ...polys[0]!, classIndex: 8, label: 'CHR' };
    const findings = auditLayerOrder(image(polys));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ region: 0, label: 'CHR', proposal: { from: 'Choroid', to: 'NFL', region: 0 } });
    expect(findings[0]!.problem).toContain('lies above GCL+IPL');
  });

  it('flags two stacked bands with one label and relabels the lower one as the missing layer', () => {
    const polys = stacked();
    polys[7] = { ...polys[7]!, classIndex: 7, label: 'RPE' };
    const findings = auditLayerOrder(image(polys));
    expect(findings.map((f) => [f.region, f.proposal?.to])).toEqual([[7, 'Choroid']]);
  });

  it('leaves side-by-side halves of one layer alone (the fovea splits the inner layers)', () => {
    const polys = [band(0, 1, 10, 18, 0, 80), band(1, 1, 12, 20, 120, 199), ...stacked().slice(1)];
    expect(auditLayerOrder(image(polys))).toEqual([]);
  });

  it('says an image it cannot afford to audit was not audited, instead of allocating a 1e308-wide mask', () => {
    const wild = [band(0, 1, 10, 18), { ...band(1, 2, 20, 28), xs: [0, 1e308, 10] }];
    expect(auditLayerOrder(image(wild))).toEqual([expect.objectContaining({ region: 0, problem: expect.stringContaining('layer order not audited') })]);
    const many = Array.from({ length: 65 }, (_, i) => band(i, 1 + (i % 8), 2 * i, 2 * i + 1));
    expect(auditLayerOrder(image(many))[0]!.problem).toContain('65 layer polygons');
  });
});
