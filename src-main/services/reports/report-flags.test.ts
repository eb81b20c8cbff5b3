import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fovealPitLabels } from '../../../test-support/label-maps';
import { summariseSegmentation } from '../../../src-shared/analysis/segmentation';
import type { ScanScale } from '../../../src-shared/domain/segmentation';
import { composeReportSvg } from './layout';
import { prepareReportImage, renderReportPdf } from './render';
import type { ReportInput } from './report-input';
import { thicknessCsv, thicknessRows } from './thickness-export';

const W = 512;
const H = 496;
const UNKNOWN: ScanScale = { axialUmPerPx: null, lateralUmPerPx: null, provenance: 'unknown' };
const KNOWN: ScanScale = { axialUmPerPx: 3.87, lateralUmPerPx: 11.72, provenance: 'device-profile', source: 'test' };
const dir = mkdtempSync(join(tmpdir(), 'stratum-report-flags-'));

async function reportOf(labels: Uint8Array, scale: ScanScale): Promise<ReportInput> {
  const summary = summariseSegmentation({
    labels, width: W, height: H, confidence: null, scale, eye: { value: 'OD', source: 'manifest', confidence: 1 },
    model: { id: 'm', version: '1', name: 'm', trained: true }, engine: { engine: 'test', executionProvider: 'cpu' }, orderRepair: { columns: 0, pixels: 0 },
  });
  const grey = Buffer.alloc(W * H);
  for (let i = 0; i < grey.length; i++) grey[i] = labels[i]! * 25;
  const png = await sharp(grey, { raw: { width: W, height: H, channels: 1 } }).png().toBuffer();
  return {
    scan: { name: 'synthetic.png' }, image: await prepareReportImage(png), labelMap: labels, summary,
    review: { state: summary.flags.needsReview ? 'needs-review' : 'not-reviewed', segmentation: 'model m 1', segmentationId: null, correction: null, signOff: null, inCatalog: false },
    appVersion: '0.0.0', reportDate: '2026-01-01T00:00:00Z',
  };
}

function pdfText(pdf: Buffer, name: string): string {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

describe('report: flags and their reasons', () => {
  it('a likely failure prints its reasons and marks no fovea; the missing zones say why', async () => {
    const { labels } = fovealPitLabels(W, H);
    for (let i = 0; i < labels.length; i++) if (i % W < W * 0.4) labels[i] = 0; // no retina over the left 40 %
    const inp = await reportOf(labels, UNKNOWN);
    expect(inp.summary.flags.likelyFailure).toBe(true);
    expect(inp.summary.fovea).not.toBeNull(); // a column was found, but it cannot be trusted
    const svg = composeReportSvg(inp);
    // before: the fovea line and its label were drawn, under "Zones not available (no fovea found)."
    expect(svg).not.toContain('>fovea<');
    expect(svg).toContain('Zones not shown (likely segmentation failure: the fovea is not reliable).');
    const txt = pdfText(await renderReportPdf(inp), 'failure');
    expect(txt).toContain('Needs review');
    expect(txt).toContain('Likely segmentation failure');
    expect(txt).toContain('• no retina in 40 % of columns');
  });

  it('a healthy scan: no flags and nothing missing side by side; a layer missing in a zone is "—" and an empty CSV cell, never 0', async () => {
    const { labels } = fovealPitLabels(W, H);
    const healthy = await reportOf(Uint8Array.from(labels), KNOWN);
    const txt = pdfText(await renderReportPdf(healthy), 'healthy');
    expect(txt).toContain('No quality flags raised');
    expect(txt).toContain('Missing where it belongs (no retina, or INL..RPE): 0 % of columns');
    expect(composeReportSvg(healthy)).toContain('>fovea<');
    // ONL gone from x = 390 on: all of the right outer zone (the fovea near column 266, 11.72 µm/px)
    for (let i = 0; i < labels.length; i++) if (i % W >= 390 && labels[i] === 5) labels[i] = 0;
    const inp = await reportOf(labels, KNOWN);
    const onl = inp.summary.layers.find((l) => l.layer === 'ONL')!;
    expect(onl.profile[500]).toBeNull();
    expect(onl.profile.some((v) => v === 0)).toBe(false);
    expect(onl.zoneMeans.rightOuter).toBeNull();
    const csv = thicknessCsv(thicknessRows([{ scan: { name: 'synthetic.png' }, summary: inp.summary, review: inp.review }])).split('\n');
    const onlRows = csv.filter((l) => l.includes(',ONL,'));
    expect(onlRows).toHaveLength(5);
    expect(onlRows.filter((l) => /,ONL,[^,]*,,/.test(l))).toHaveLength(1); // one empty cell: the right outer zone
    for (const l of onlRows) expect(l).not.toMatch(/,ONL,[^,]*,0,/);
    expect(pdfText(await renderReportPdf(inp), 'missing')).toMatch(/ONL( -?\d+\.\d){4} —/);
  });
});
