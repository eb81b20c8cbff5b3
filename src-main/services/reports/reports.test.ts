import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { LAYER_KEYS, LAYERS } from '../../../src-shared/domain/layers';
import { ZONE_KEYS } from '../../../src-shared/domain/segmentation';
import { zoneName } from '../../../src-shared/analysis/segmentation';
import { SCALE_UNKNOWN_MARK, roundThickness } from './format';
import { composeReportSvg } from './layout';
import { prepareReportImage, renderReportPdf, renderReportPng } from './render';
import type { ReportInput } from './report-input';
import { syntheticScan } from '../../../test-support/synthetic-scan';
import { THICKNESS_COLUMNS, thicknessCsv, thicknessJson, thicknessRows } from './thickness-export';

const dir = mkdtempSync(join(tmpdir(), 'stratum-report-test-'));
const samples = process.env.STRATUM_REPORT_SAMPLES; // e.g. /tmp/stratum-report-samples

async function input(options: Parameters<typeof syntheticScan>[0] = {}): Promise<ReportInput> {
  const s = await syntheticScan(options);
  return {
    scan: {
      scanId: 42,
      name: 'NORMAL30.jpeg',
      patient: { externalId: 'P-0007', name: 'Doe, Jane', birthDate: '1961-04-03', sex: 'F' },
      eye: { value: 'OD', source: 'manifest', confidence: 1 },
      acquiredAt: '2026-10-02T09:30:00Z',
      device: 'Zeiss Cirrus HD-OCT 5000',
      protocol: 'HD 5 Line Raster',
    },
    image: await prepareReportImage(s.image),
    labelMap: s.labelMap,
    summary: s.summary,
    review: {
      state: 'signed-off',
      segmentation: 'corrected by dr.jones',
      segmentationId: 7,
      correction: { changedShare: 0.014 },
      signOff: { by: 'dr.smith', at: '2026-10-03T11:00:00Z' },
      inCatalog: true,
    },
    appVersion: '0.1.0',
    reportDate: '2026-11-28T14:00:00Z',
  };
}

function pdftotext(pdf: Buffer, name: string, layout = true): string {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', [...(layout ? ['-layout'] : []), file, '-'], { encoding: 'utf8' });
}

describe('single-scan report', () => {
  it('writes a searchable PDF with the scan name, the eight layers and the unit, that pdftoppm renders', async () => {
    const inp = await input();
    const pdf = await renderReportPdf(inp);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const txt = pdftotext(pdf, 'report', false);
    expect(txt).toContain('NORMAL30.jpeg');
    for (const name of ['NFL', 'GCL+IPL', 'INL', 'OPL', 'ONL', 'EZ', 'RPE', 'Choroid']) expect(txt).toContain(name);
    expect(txt).toContain('µm');
    expect(txt).toContain('For research use only - not a medical device');
    expect(txt).toContain('UNTRAINED placeholder');
    // the review block names the state, the segmentation the numbers come from and its sign-off
    for (const line of ['Signed off', 'Segmentation: corrected by dr.jones', 'Corrected share of pixels: 1.4 %', 'Signed off by dr.smith on 2026-10-03']) expect(txt).toContain(line);
    const prefix = join(dir, 'page');
    execFileSync('pdftoppm', ['-png', '-r', '40', join(dir, 'report.pdf'), prefix]);
    const page = await sharp(readFileSync(`${prefix}-1.png`)).metadata();
    expect(page.width).toBeGreaterThan(300);
    if (samples) {
      mkdirSync(samples, { recursive: true });
      writeFileSync(join(samples, 'report-um.pdf'), pdf);
      execFileSync('pdftoppm', ['-png', '-r', '80', join(samples, 'report-um.pdf'), join(samples, 'report-um')]);
    }
  });

  it('fits the same layout on US Letter', async () => {
    const pdf = await renderReportPdf(await input(), 'letter');
    const file = join(dir, 'letter.pdf');
    writeFileSync(file, pdf);
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Page size:\s+612 x 792 pts \(letter\)/);
    expect(pdftotext(pdf, 'letter', false)).toContain('For research use only - not a medical device');
  });

  it('renders the same layout to a PNG at least 1600 px wide', async () => {
    const png = await renderReportPng(await input());
    const meta = await sharp(png).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width).toBeGreaterThanOrEqual(1600);
    expect(meta.height! / meta.width!).toBeCloseTo(842 / 595, 2);
    if (samples) writeFileSync(join(samples, 'report-um.png'), png);
  });

  it('prints zone-table numbers equal to the JSON export rounded to one decimal', async () => {
    const inp = await input();
    const txt = pdftotext(await renderReportPdf(inp), 'numbers');
    const json = JSON.parse(thicknessJson(thicknessRows([inp]))) as { layer: string; zone: string; thickness: number | null }[];
    const rows = [...LAYERS.map((l) => ({ label: l.name, key: l.key as string })), { label: 'Total (TRT)', key: 'TRT' }];
    for (const { label, key } of rows) {
      const esc = label.replace(/[+()]/g, '\\$&');
      const m = txt.split('\n').map((l) => new RegExp(`^\\s*${esc}((?:\\s+(?:-?\\d+\\.\\d|—)){5})(?:\\s{2,}.*)?$`).exec(l)).find(Boolean);
      expect(m, `table row for ${label}`).toBeTruthy();
      const printed = m![1]!.trim().split(/\s+/).map((v) => (v === '—' ? null : Number(v)));
      const expected = ZONE_KEYS.map((z) => json.find((r) => r.layer === key && r.zone === zoneName(z, 'OD'))!.thickness);
      expect(printed).toEqual(expected);
      const fromSummary = ZONE_KEYS.map((z) =>
        roundThickness(key === 'TRT' ? inp.summary.total.zoneMeans[z] : inp.summary.layers.find((l) => l.layer === key)!.zoneMeans[z]),
      );
      expect(printed).toEqual(fromSummary);
    }
  });

  it('marks pixel units when the scale is unknown', async () => {
    const inp = await input({ scale: { axialUmPerPx: null, lateralUmPerPx: null, provenance: 'unknown' }, trained: true });
    expect(inp.summary.total.unit).toBe('px');
    const svg = composeReportSvg(inp);
    expect(svg).toContain(SCALE_UNKNOWN_MARK);
    const pdf = await renderReportPdf(inp);
    const txt = pdftotext(pdf, 'unknown-scale', false);
    expect(txt).toContain('pixel units: scale unknown');
    expect(txt).toContain('Mean thickness per zone (px)');
    expect(txt).not.toContain('µm/px');
    if (samples) {
      writeFileSync(join(samples, 'report-px.pdf'), pdf);
      execFileSync('pdftoppm', ['-png', '-r', '80', join(samples, 'report-px.pdf'), join(samples, 'report-px')]);
    }
  });
});

describe('the eye in reports and exports', () => {
  it('prints the eye with its source, and names zones nasal/temporal for it', async () => {
    const txt = pdftotext(await renderReportPdf(await input()), 'eye-known', false);
    expect(txt).toContain('OD (right) · manifest');
    expect(txt).toMatch(/Nasal/);
    expect(txt).toMatch(/Temporal/);
  });

  it('names zones by the image left and right, never nasal or temporal, while the eye is unknown', async () => {
    const inp = { ...(await input({ eye: null })), scan: { name: 'bare.png' } };
    expect(inp.summary.eye).toEqual({ value: 'unknown', source: null, confidence: null });
    const txt = pdftotext(await renderReportPdf(inp), 'eye-unknown', false);
    expect(txt).not.toMatch(/nasal|temporal/i);
    expect(txt).toMatch(/Left/);
    expect(txt.replace(/\s+/g, ' ')).toContain('zones are named by the image left and right');
    const rows = thicknessRows([inp]);
    expect([...new Set(rows.map((r) => r.zone))]).toEqual(['leftOuter', 'leftInner', 'centre', 'rightInner', 'rightOuter']);
    expect(rows.every((r) => r.eye === 'unknown' && r.eye_source === '' && r.eye_confidence === null)).toBe(true);
  });

  it("takes the segmentation's eye (marker or anatomy) when the scan's own is unknown, and the scan's when known", async () => {
    const inp = await input({ eye: null });
    const detected = { ...inp, summary: { ...inp.summary, eye: { value: 'OS' as const, source: 'marker' as const, confidence: 0.97 } }, scan: { name: 'bare.png', eye: null } };
    const rows = thicknessRows([detected]);
    expect(rows[0]).toMatchObject({ eye: 'OS', eye_source: 'marker', eye_confidence: 0.97, zone: 'nasalOuter' });
    const edited = { ...detected, scan: { name: 'x.png', eye: { value: 'OD' as const, source: 'user' as const, confidence: 1 } } };
    expect(thicknessRows([edited])[0]).toMatchObject({ eye: 'OD', eye_source: 'user', zone: 'temporalOuter' });
  });
});

describe('thickness exports', () => {
  it('writes a CSV with a header and one row per scan x zone x layer', async () => {
    const a = await input();
    const b = { ...(await input({ scale: { axialUmPerPx: null, lateralUmPerPx: null, provenance: 'unknown' } })), scan: { name: 'b, "quoted".png', scanId: 7 } };
    const csv = thicknessCsv(thicknessRows([a, b]));
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe(THICKNESS_COLUMNS.join(','));
    expect(lines).toHaveLength(1 + 2 * (LAYER_KEYS.length + 1) * ZONE_KEYS.length);
    expect(lines[0]).toContain('thickness,unit');
    expect(lines[1]).toMatch(/^42,NORMAL30\.jpeg,P-0007,OD,manifest,1,2026-10-02T09:30:00Z,NFL,temporalOuter,\d+(\.\d)?,um,device-profile,3\.87,/);
    expect(csv).toContain('"b, ""quoted"".png"');
    expect(csv).toMatch(/,px,unknown,,/);
    // the review columns: state key, which segmentation, its id, who signed it off and when
    expect(lines[0]).toContain('review_state,segmentation,segmentation_id,signed_off_by,signed_off_at');
    expect(lines[1]).toMatch(/,signed-off,corrected by dr\.jones,7,dr\.smith,2026-10-03T11:00:00Z$/);
    let pandasAvailable = true;
    try {
      execFileSync('python3', ['-c', 'import pandas'], { stdio: 'ignore' });
    } catch {
      pandasAvailable = false;
    }
    if (pandasAvailable) {
      const file = join(dir, 'rows.csv');
      writeFileSync(file, csv);
      const out = execFileSync('python3', ['-c', `import pandas as pd; d=pd.read_csv(${JSON.stringify(file)}); print(len(d), d['thickness'].dtype, list(d.columns)[:3])`], { encoding: 'utf8' });
      expect(out).toContain(`${2 * 9 * 5} float64`);
    }
  });
});

describe('report page: the scale row and the B-scan aspect', () => {
  it('prints the whole scale with its source (two lines when needed) and says plainly how the B-scan is stretched', async () => {
    const inp = await input();
    inp.summary = {
      ...inp.summary,
      scale: { ...inp.summary.scale, provenance: 'device-profile', axialUmPerPx: 1.96, lateralUmPerPx: 8, source: 'estimated: 6 mm wide Zeiss Cirrus HD 5 Line Raster, axial 1.96 µm from the device profile table' },
    };
    const svg = composeReportSvg(inp);
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    const scaleText = texts.join(' ');
    // the old row cut this at "(estimated: 6 mm …"
    expect(scaleText).toContain('device profile table');
    expect(texts.some((t) => t.includes('…') && t.includes('estimated'))).toBe(false);
    const w = (inp.summary.width * 8) / 1000;
    const d = (inp.summary.height * 1.96) / 1000;
    expect(texts.find((t) => t.startsWith('Not to scale: depth stretched'))).toBe(`Not to scale: depth stretched ${(222 / d / (523 / w)).toFixed(1)}x (${w.toFixed(1)} x ${d.toFixed(1)} mm)`);

    inp.summary = { ...inp.summary, scale: { ...inp.summary.scale, provenance: 'unknown', axialUmPerPx: null, lateralUmPerPx: null, source: undefined } };
    expect(composeReportSvg(inp)).toContain('Not to scale: pixel spacing unknown');
  });
});
