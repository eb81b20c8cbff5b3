/**
 * The volume report page (A4, PDF points; one SVG for the PDF and the PNG, as the B-scan report):
 * header with patient, eye, date, device, protocol, scale and its provenance; the localizer with the
 * B-scan lines and the grid; the total retina map with the ETDRS values and coverage; the per-layer
 * grid table; the device comparison; the RPE elevation and drusen; the fovea B-scan with its layers;
 * the model, review state, sign-off and flags.
 */
import { MAP_DEFINITIONS, MAP_KEYS } from '../../../src-shared/analysis/enface/surfaces';
import { DRUSEN_DEFINITION } from '../../../src-shared/analysis/enface/drusen';
import type { VolumeAnalysis } from '../../../src-shared/analysis/enface/volume-analysis';
import { describeEye } from '../../../src-shared/domain/laterality';
import { signOffText } from '../../../src-shared/domain/review';
import { legendSvg, mapPanelSvg } from '../enface/map-svg';
import { ageAt, describeScale, formatDate, formatDateTime } from './format';
import { DISCLAIMER, PAGE } from './layout';
import { INK, MUTED, RULE, fit, line, rect, text, wrap } from './svg-kit';
import { foveaBscanSvg, localizerPanelSvg } from './volume-panels';
import type { VolumeReportInput } from './volume-report-input';
import { primaryAnalysis } from '../enface/analyse-volume';

const M = 36;
const CW = PAGE.width - 2 * M;
const WARN = '#9b1c1c';
const um = (v: number | null) => (v === null ? '—' : v.toFixed(0));
const signed = (v: number | null) => (v === null ? '—' : `${v > 0 ? '+' : ''}${v.toFixed(1)}`);

export function composeVolumeReportSvg(input: VolumeReportInput): string {
  const out: string[] = [rect(0, 0, PAGE.width, PAGE.height, '#ffffff')];
  const a = primaryAnalysis(input.result);
  let y = header(out, input, a);
  y = figures(out, input, a, y + 8);
  y = gridTable(out, a, input, y + 6);
  y = comparison(out, input, y + 4);
  y = drusen(out, a, y + 4);
  y = foveaBscan(out, input, a, y + 4);
  footer(out, input, a, y + 4);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${PAGE.width}" height="${PAGE.height}" viewBox="0 0 ${PAGE.width} ${PAGE.height}">`,
    ...out,
    '</svg>',
  ].join('\n');
}

function header(out: string[], input: VolumeReportInput, a: VolumeAnalysis): number {
  const s = input.scan;
  out.push(text(M, 44, 'OCT volume report: thickness maps, ETDRS grid', { size: 13, weight: 'bold' }));
  out.push(text(M + CW, 44, `Report date ${formatDateTime(input.reportDate)}`, { size: 6.5, anchor: 'end', color: MUTED }));
  out.push(line(M, 51, M + CW, 51, INK, 0.8));
  const p = s.patient;
  const age = ageAt(p?.birthDate, s.acquiredAt ?? input.reportDate);
  const left: [string, string][] = [
    ['Patient', p ? [p.externalId, p.name].filter(Boolean).join(' — ') || 'unknown' : 'not in the catalog'],
    ['Age / sex', [age === null ? null : `${age} y`, p?.sex].filter(Boolean).join(', ') || 'unknown'],
    ['Eye', describeEye(s.eye, 'short')],
    ['Scan date', formatDate(s.acquiredAt)],
  ];
  const g = a.mapSet.geometry;
  const right: [string, string][] = [
    ['Scan', s.name],
    ['Device / protocol', [s.device, s.protocol].filter(Boolean).join(' / ') || 'unknown'],
    ['Volume', `${s.bscanCount} B-scans of ${s.width} x ${s.height} px${s.format ? ` (${s.format})` : ''}`],
    ['B-scan spacing', `${(g.medianGapMm * 1000).toFixed(1)} µm (median, from each B-scan's position)`],
  ];
  left.forEach(([k, v], i) => {
    out.push(text(M, 63 + i * 11, k, { size: 7.5, color: MUTED }));
    out.push(text(M + 56, 63 + i * 11, fit(v, 200, 8), { size: 8 }));
  });
  const rx = M + CW / 2 + 4;
  right.forEach(([k, v], i) => {
    out.push(text(rx, 63 + i * 11, k, { size: 7.5, color: MUTED }));
    out.push(text(rx + 70, 63 + i * 11, fit(v, CW / 2 - 76, 8), { size: 8 }));
  });
  const sy = 63 + 4 * 11;
  out.push(text(M, sy, 'Scale', { size: 7.5, color: MUTED }));
  out.push(text(M + 56, sy, fit(describeScale(input.result.source.scale), CW - 56, 8), { size: 8 }));
  out.push(line(M, sy + 6, M + CW, sy + 6, RULE, 0.5));
  return sy + 6;
}

function figures(out: string[], input: VolumeReportInput, a: VolumeAnalysis, top: number): number {
  const w = (CW - 16) / 2;
  const h = 214;
  const lines = a.mapSet.geometry.lines;
  out.push(text(M, top + 8, 'Localizer, B-scan lines and ETDRS grid', { size: 9, weight: 'bold' }));
  out.push(localizerPanelSvg(input, lines, a.fovea.centreMm, input.result.eye, { x: M + 8, y: top + 18, width: w - 16, height: h }));
  const mx = M + w + 16;
  const label = MAP_DEFINITIONS[input.totalPanel.map.key].label;
  out.push(text(mx, top + 8, `${label}, ${a.source === 'stratum' ? "Stratum's segmentation" : "the device's lines"}`, { size: 9, weight: 'bold' }));
  out.push(mapPanelSvg(input.totalPanel, { x: mx + 8, y: top + 18, width: w - 16, height: h }));
  out.push(legendSvg(input.totalPanel.scale, mx + 14, top + h + 30, w - 30, 6));
  const f = a.fovea;
  out.push(text(M, top + h + 41, fit(`Fovea (${f.centreMm.x.toFixed(2)}, ${f.centreMm.y.toFixed(2)}) mm: ${f.method}, confidence ${f.confidence}`, w, 6.5), { size: 6.5, color: MUTED }));
  return top + h + 48;
}

function gridTable(out: string[], a: VolumeAnalysis, input: VolumeReportInput, top: number): number {
  const maps = MAP_KEYS.filter((k) => a.grids[k]);
  const who = a.source === 'stratum' ? `Stratum (${input.review.segmentations.join('; ') || 'segmentation'})` : "the device's lines";
  out.push(line(M, top - 2, M + CW, top - 2, RULE, 0.5));
  out.push(text(M, top + 8, fit(`ETDRS grid per layer (mean µm, volume mm³), ${who}`, CW - 40, 9), { size: 9, weight: 'bold' }));
  const colW = (CW - 90) / maps.length;
  const rowH = 9.2;
  let y = top + 19;
  out.push(text(M, y, 'Subfield', { size: 6.8, color: MUTED }), text(M + 75, y, 'Coverage', { size: 6.8, color: MUTED, anchor: 'end' }));
  maps.forEach((k, i) => out.push(text(M + 90 + (i + 0.5) * colW, y, k === 'total' ? 'Total' : k, { size: 6.8, anchor: 'middle', color: MUTED, weight: 'bold' })));
  const total = a.grids.total ?? a.grids[maps[0]!]!;
  total.subfields.forEach((sf, r) => {
    y += rowH;
    if (r % 2 === 0) out.push(rect(M, y - 6.8, CW, rowH, '#f4f4f4'));
    out.push(text(M, y, sf.subfield, { size: 7, weight: 'bold' }));
    out.push(text(M + 75, y, `${sf.coveragePct.toFixed(0)} %${sf.partial ? ' partial' : ''}`, { size: 6.8, anchor: 'end', color: sf.partial ? WARN : INK }));
    maps.forEach((k, i) => {
      const s = a.grids[k]!.subfields[r]!;
      out.push(text(M + 90 + (i + 0.5) * colW, y, s.partial && s.meanUm !== null ? `(${um(s.meanUm)})` : um(s.meanUm), { size: 7, anchor: 'middle', color: s.partial ? MUTED : INK }));
    });
  });
  y += rowH;
  out.push(text(M, y, 'Centre point', { size: 7, weight: 'bold' }));
  maps.forEach((k, i) => out.push(text(M + 90 + (i + 0.5) * colW, y, um(a.grids[k]!.centralPointUm), { size: 7, anchor: 'middle' })));
  y += rowH;
  out.push(text(M, y, 'Volume mm³', { size: 7, weight: 'bold' }), text(M + 75, y, `${total.coveragePct.toFixed(0)} %`, { size: 6.8, anchor: 'end' }));
  maps.forEach((k, i) => {
    const v = a.grids[k]!.totalVolumeMm3;
    out.push(text(M + 90 + (i + 0.5) * colW, y, v === null ? '—' : v.toFixed(3), { size: 7, anchor: 'middle' }));
  });
  y += 8;
  out.push(text(M, y, fit('(n): partial subfield, mean of its scanned part. Volume: of the scanned part of the 6 mm disc. Layers: surfaces between the 8 layers; total = ILM to BM; RPE = RPE top to BM.', CW, 6), { size: 6, color: MUTED }));
  return y + 4;
}

function comparison(out: string[], input: VolumeReportInput, top: number): number {
  const c = input.result.comparison?.find((x) => x.map === 'total');
  out.push(line(M, top, M + CW, top, RULE, 0.5));
  if (!c) {
    out.push(text(M, top + 10, 'Device comparison', { size: 8, weight: 'bold' }), text(M + 110, top + 10, input.result.device ? 'no total retina from both segmentations.' : 'the volume holds no device segmentation.', { size: 7.5, color: MUTED }));
    return top + 14;
  }
  out.push(text(M, top + 10, `Device comparison, total retina: Stratum minus device (µm); ${input.result.source.device?.label ?? 'device'}`, { size: 8, weight: 'bold' }));
  const colW = (CW - 60) / (c.subfields.length + 1);
  const y1 = top + 20;
  const y2 = y1 + 9;
  out.push(text(M, y1, 'Device µm', { size: 6.8, color: MUTED }), text(M, y2, 'Difference', { size: 6.8, color: MUTED }));
  c.subfields.forEach((s, i) => {
    const x = M + 60 + (i + 0.5) * colW;
    out.push(text(x, y1, `${s.subfield} ${um(s.deviceUm)}`, { size: 6.8, anchor: 'middle' }));
    out.push(text(x, y2, signed(s.differenceUm), { size: 7, anchor: 'middle', weight: 'bold', color: s.partial ? MUTED : INK }));
  });
  const x = M + 60 + (c.subfields.length + 0.5) * colW;
  out.push(text(x, y1, `CPT ${um(c.centralPoint.deviceUm)}`, { size: 6.8, anchor: 'middle' }), text(x, y2, signed(c.centralPoint.differenceUm), { size: 7, anchor: 'middle', weight: 'bold' }));
  return y2 + 4;
}

function drusen(out: string[], a: VolumeAnalysis, top: number): number {
  out.push(line(M, top, M + CW, top, RULE, 0.5));
  const d = a.drusen;
  if (!d) {
    out.push(text(M, top + 10, 'RPE elevation and drusen: no RPE complex map (no RPE top and BM).', { size: 7.5, color: MUTED }));
    return top + 14;
  }
  const circles = d.circles.map((c) => `${c.diameterMm} mm: ${c.areaMm2 === null ? '—' : c.areaMm2.toFixed(3)} mm², ${c.volumeMm3 === null ? '—' : c.volumeMm3.toFixed(4)} mm³ (${c.coveragePct.toFixed(0)} % scanned)`).join(';   ');
  out.push(text(M, top + 10, 'RPE elevation and drusen', { size: 8, weight: 'bold' }), text(M + 125, top + 10, fit(circles, CW - 140, 7.5), { size: 7.5 }));
  const def = `Normal RPE complex ${d.normalRpeUm === null ? '—' : d.normalRpeUm.toFixed(1)} µm (${d.normalFrom}); drusen: elevated by at least ${d.minElevationUm.toFixed(1)} µm. ${DRUSEN_DEFINITION}.`;
  const lines = wrap(def, CW, 6);
  lines.slice(0, 2).forEach((l, i) => out.push(text(M, top + 19 + i * 7.5, l, { size: 6, color: MUTED })));
  return top + 19 + Math.min(2, lines.length) * 7.5 - 4;
}

function foveaBscan(out: string[], input: VolumeReportInput, a: VolumeAnalysis, top: number): number {
  out.push(line(M, top, M + CW, top, RULE, 0.5));
  const b = input.foveaBscan;
  if (!b) return top + 4;
  const l = a.mapSet.geometry.lines[b.index]!;
  const dx = l.end.x - l.start.x;
  const dy = l.end.y - l.start.y;
  const s = ((a.fovea.centreMm.x - l.start.x) * dx + (a.fovea.centreMm.y - l.start.y) * dy) / (dx * dx + dy * dy);
  const column = s >= 0 && s <= 1 ? s * (l.width - 1) : null;
  out.push(text(M, top + 10, `B-scan ${b.index + 1} of ${input.scan.bscanCount}, ${(b.distanceMm * 1000).toFixed(0)} µm from the fovea, with the layer surfaces`, { size: 8.5, weight: 'bold' }));
  const h = 118;
  out.push(foveaBscanSvg(input, column, { x: M, y: top + 15, width: CW, height: h }));
  let y = top + 15 + h + 8;
  out.push(text(M, y, 'Solid lines: Stratum, each in the colour of the layer below it. Dashed white: the device. Aspect not to scale.', { size: 6, color: MUTED }));
  y += 8;
  if (b.difference?.length) {
    const d = b.difference.filter((x) => x.meanAbsUm !== null).map((x) => `${x.name} ${x.meanAbsUm!.toFixed(1)} µm`).join(', ');
    out.push(text(M, y, fit(`Device against Stratum on this B-scan, mean |difference|: ${d || 'no boundary both drew'}`, CW, 7), { size: 7 }));
    y += 8;
  }
  return y;
}

function footer(out: string[], input: VolumeReportInput, a: VolumeAnalysis, top: number): void {
  const r = input.review;
  out.push(line(M, top, M + CW, top, RULE, 0.5));
  const model = r.segmentations.length ? r.segmentations.join('; ') : a.source === 'device' ? "device's lines only" : 'none';
  const sign = r.signOffs.length ? `${r.signOffs.map((s) => signOffText(s)).join('; ')} (${r.signedOff} of ${r.segmented} B-scans signed off)` : r.inCatalog ? `not signed off (${r.signedOff} of ${r.segmented} B-scans)` : 'not in the catalog: no sign-off';
  const rows: [string, string][] = [
    ['Segmentation', `${model}; Stratum ${input.appVersion}`],
    ['Review', `${r.state}; ${sign}`],
  ];
  let y = top + 10;
  for (const [k, v] of rows) {
    out.push(text(M, y, k, { size: 7, color: MUTED }), text(M + 62, y, fit(v, CW - 62, 7.5), { size: 7.5 }));
    y += 9;
  }
  out.push(text(M, y, 'Flags', { size: 7, color: MUTED }));
  const flags = r.flags.length ? r.flags : ['none'];
  for (const f of flags.slice(0, 4)) {
    for (const l of wrap(f, CW - 62, 7).slice(0, 2)) {
      if (y > PAGE.height - 30) break;
      out.push(text(M + 62, y, l, { size: 7, color: r.flags.length ? WARN : INK }));
      y += 8;
    }
  }
  out.push(line(M, PAGE.height - 26, M + CW, PAGE.height - 26, RULE, 0.5));
  out.push(text(M, PAGE.height - 17, `${DISCLAIMER}. Thickness in µm from the file's scale; maps interpolated only between neighbouring B-scans.`, { size: 6.5, color: MUTED }));
  out.push(text(M + CW, PAGE.height - 17, `Stratum ${input.appVersion}`, { size: 6.5, color: MUTED, anchor: 'end' }));
}
