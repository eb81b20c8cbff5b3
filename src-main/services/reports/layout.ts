import { LAYERS } from '../../../src-shared/domain/layers';
import { qualityFlagText, reviewLabel } from '../../../src-shared/domain/review';
import { ZONE_KEYS, type SegmentationSummary } from '../../../src-shared/domain/segmentation';
import { currentEye } from '../../../src-shared/analysis/laterality';
import { briefOf, findingsOf, needsReview, zoneLabel } from '../../../src-shared/analysis/segmentation';
import { describeEye, type EyeAssessment } from '../../../src-shared/domain/laterality';
import { layerTopBoundaries, seriesPath } from './boundaries';
import {
  SCALE_UNKNOWN_MARK,
  ageAt,
  describeScale,
  formatDate,
  formatDateTime,
  formatThickness,
  scaleKnown,
  unitLabel,
} from './format';
import { profilePlot, type XAxis } from './plots';
import type { ReportInput } from './report-input';
import { INK, MUTED, RULE, approxWidth, fit, line, n, path, rect, text, wrap } from './svg-kit';

/** A4 portrait in PDF points; the SVG's user units are points, so the PDF and the PNG share one layout. */
export const PAGE = { width: 595, height: 842 } as const;
const M = 36;
const CW = PAGE.width - 2 * M;
const WARN = '#9b1c1c';

export const DISCLAIMER = 'For research use only - not a medical device';

/** Composes the single-scan report page as one SVG document (the one layout source for PDF and PNG). */
export function composeReportSvg(input: ReportInput): string {
  const s = input.summary;
  const out: string[] = [];
  out.push(rect(0, 0, PAGE.width, PAGE.height, '#ffffff'));
  let y = header(out, input);
  y = bscan(out, input, y + 14);
  y = profiles(out, s, y + 14);
  body(out, input, y + 16);
  footer(out, input);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${PAGE.width}" height="${PAGE.height}" viewBox="0 0 ${PAGE.width} ${PAGE.height}">`,
    ...out,
    '</svg>',
  ].join('\n');
}

function header(out: string[], input: ReportInput): number {
  const { scan, summary } = input;
  out.push(text(M, 46, 'Retinal OCT layer thickness report', { size: 15, weight: 'bold' }));
  out.push(text(M + CW, 46, `Report date ${formatDateTime(input.reportDate)}`, { size: 7.5, anchor: 'end', color: MUTED }));
  out.push(line(M, 54, M + CW, 54, INK, 0.8));
  const p = scan.patient ?? {};
  const patient = [p.externalId, p.name].filter(Boolean).join(' — ') || 'unknown';
  const age = ageAt(p.birthDate, scan.acquiredAt ?? input.reportDate);
  const sex = p.sex ? p.sex : null;
  const ageSex = [age === null ? null : `${age} y`, sex].filter(Boolean).join(', ') || 'unknown';
  const eye = describeEye(reportEye(input), 'short');
  const device = [scan.device, scan.protocol].filter(Boolean).join(' / ') || 'unknown';
  const left: [string, string][] = [
    ['Patient', patient],
    ['Age / sex', ageSex],
    ['Eye', eye],
    ['Scan date', formatDate(scan.acquiredAt)],
  ];
  const right: [string, string][] = [
    ['Scan', scan.scanId === undefined ? scan.name : `${scan.name} (id ${scan.scanId})`],
    ['Device / protocol', device],
    ['Image', `${summary.width} x ${summary.height} px`],
    ['Thickness unit', unitLabel(summary.total.unit)],
  ];
  const rowH = 12;
  left.forEach(([k, v], i) => {
    out.push(text(M, 68 + i * rowH, k, { size: 8, color: MUTED }));
    out.push(text(M + 62, 68 + i * rowH, fit(v, 190, 8.5), { size: 8.5 }));
  });
  const rx = M + CW / 2 + 10;
  right.forEach(([k, v], i) => {
    out.push(text(rx, 68 + i * rowH, k, { size: 8, color: MUTED }));
    out.push(text(rx + 76, 68 + i * rowH, fit(v, CW / 2 - 86, 8.5), { size: 8.5 }));
  });
  const sy = 68 + 4 * rowH;
  let extra = 0;
  out.push(text(M, sy, 'Scale', { size: 8, color: MUTED }));
  if (scaleKnown(summary.scale)) {
    // the whole scale and where it came from, on a second line when needed: never cut mid-source
    const lines = wrap(describeScale(summary.scale), CW - 62, 8.5);
    const shown = lines.length > 2 ? [lines[0]!, fit(lines.slice(1).join(' '), CW - 62, 8.5)] : lines;
    shown.forEach((l, i) => out.push(text(M + 62, sy + i * 10.5, l, { size: 8.5 })));
    extra = (shown.length - 1) * 10.5;
  } else {
    out.push(rect(M + 60, sy - 8.5, 128, 11.5, '#fdf1f1', WARN, 0.5));
    out.push(text(M + 64, sy, SCALE_UNKNOWN_MARK, { size: 8.5, weight: 'bold', color: WARN }));
    out.push(text(M + 196, sy, 'Thickness in pixels; not comparable across devices.', { size: 7.5, color: MUTED }));
  }
  out.push(line(M, sy + extra + 8, M + CW, sy + extra + 8, RULE, 0.5));
  return sy + extra + 8;
}

/**
 * The B-scan frame is wider than tall, and OCT is read with depth stretched: how much the page stretches
 * depth against width, said plainly (1 = drawn to scale), from the tissue the image covers.
 */
export function aspectNote(s: SegmentationSummary, frameWidth: number, frameHeight: number): string {
  const { axialUmPerPx: axial, lateralUmPerPx: lateral } = s.scale;
  if (s.scale.provenance === 'unknown' || axial === null || lateral === null || !(axial > 0) || !(lateral > 0)) {
    return 'Not to scale: pixel spacing unknown';
  }
  const widthMm = (s.width * lateral) / 1000;
  const depthMm = (s.height * axial) / 1000;
  const stretch = frameHeight / depthMm / (frameWidth / widthMm);
  if (Math.abs(stretch - 1) < 0.05) return `Drawn to scale (${widthMm.toFixed(1)} x ${depthMm.toFixed(1)} mm)`;
  return `Not to scale: depth stretched ${stretch.toFixed(1)}x (${widthMm.toFixed(1)} x ${depthMm.toFixed(1)} mm)`;
}

function bscan(out: string[], input: ReportInput, top: number): number {
  const s = input.summary;
  out.push(text(M, top, 'B-scan with layer boundaries', { size: 9.5, weight: 'bold' }));
  const iy = top + 7;
  const ih = 222;
  const iw = CW;
  const b64 = Buffer.from(input.image.bytes).toString('base64');
  out.push(
    `<image x="${M}" y="${iy}" width="${iw}" height="${ih}" preserveAspectRatio="none" xlink:href="data:${input.image.mime};base64,${b64}"/>`,
  );
  const sx = iw / s.width;
  const sy = ih / s.height;
  const mapX = (c: number) => M + (c + 0.5) * sx;
  const mapY = (r: number) => iy + r * sy;
  const step = Math.max(1, Math.floor(s.width / 700));
  for (const b of layerTopBoundaries(input.labelMap, s.width, s.height)) {
    const info = LAYERS[b.index - 1]!;
    out.push(path(seriesPath(b.tops, mapX, mapY, step), info.color, 0.7));
  }
  const fovea = markedFovea(s);
  const limits = fovea === null ? [] : zoneLimits(s);
  for (const c of limits) out.push(line(M + c * sx, iy, M + c * sx, iy + ih, '#ffffff', 0.5, '3 2'));
  if (fovea !== null) {
    const fx = M + (fovea + 0.5) * sx;
    out.push(line(fx, iy, fx, iy + ih, '#ffffff', 0.9));
    out.push(text(fx + 3, iy + 9, 'fovea', { size: 7, color: '#ffffff' }));
  }
  out.push(rect(M, iy, iw, ih, 'none', INK, 0.5));
  // zone names under the image
  const zy = iy + ih + 9;
  const missing = zonesMissingWhy(s);
  if (missing) out.push(text(M, zy, `Zones not shown (${missing}).`, { size: 6.8, color: MUTED }));
  else {
    for (const z of s.zones) {
      if (z.endColumn <= z.startColumn) continue;
      const cx = M + ((z.startColumn + z.endColumn) / 2) * sx;
      out.push(text(cx, zy, zoneLabel(z.key, reportEye(input).value), { size: 6.8, anchor: 'middle', color: MUTED }));
    }
  }
  // legend
  const ly = zy + 12;
  const slot = CW / LAYERS.length;
  LAYERS.forEach((l, i) => {
    const lx = M + i * slot;
    out.push(rect(lx, ly - 6, 14, 6, l.color, '#555555', 0.3));
    out.push(text(lx + 18, ly, l.name, { size: 7.5 }));
  });
  const linesNote = 'Lines: layer tops. Dashed: zone limits.';
  out.push(text(M + CW, iy - 3, linesNote, { size: 6.5, anchor: 'end', color: MUTED }));
  out.push(text(M + CW - approxWidth(linesNote, 6.5) - 8, iy - 3, aspectNote(s, iw, ih), { size: 7, anchor: 'end', weight: 'bold' }));
  return ly + 6;
}

/** The eye the report names zones with: the catalog scan's when known, else the one its segmentation found. */
function reportEye(input: ReportInput): EyeAssessment {
  return currentEye(input.scan.eye, input.summary.eye);
}

/**
 * The fovea column the page may mark, or null: none found, its pit unclear, or the segmentation a likely
 * failure (then its column and the zones around it would only mislead).
 */
function markedFovea(s: SegmentationSummary): number | null {
  if (!s.fovea || s.flags.likelyFailure) return null;
  return findingsOf(s.flags).some((f) => f.code === 'fovea-unclear') ? null : s.fovea.column;
}

/** Why the zones are not shown, in words; null when they are. */
function zonesMissingWhy(s: SegmentationSummary): string | null {
  if (!s.fovea) return 'no fovea found';
  if (markedFovea(s) === null) return s.flags.likelyFailure ? 'likely segmentation failure: the fovea is not reliable' : 'no clear foveal pit';
  if (s.zones.length === 0) return 'no lateral pixel spacing: zones need millimetres';
  return null;
}

function zoneLimits(s: SegmentationSummary): number[] {
  const set = new Set<number>();
  for (const z of s.zones) {
    if (z.endColumn <= z.startColumn) continue;
    set.add(z.startColumn);
    set.add(z.endColumn);
  }
  return [...set].filter((c) => c > 0 && c < s.width).sort((a, b) => a - b);
}

function profiles(out: string[], s: SegmentationSummary, top: number): number {
  out.push(line(M, top - 8, M + CW, top - 8, RULE, 0.5));
  out.push(text(M, top + 4, 'Thickness profiles', { size: 9.5, weight: 'bold' }));
  const unit = unitLabel(s.total.unit);
  const lat = s.scale.provenance !== 'unknown' ? s.scale.lateralUmPerPx : null;
  const axis: XAxis = {
    columns: s.width,
    mmPerColumn: lat ? lat / 1000 : null,
    originColumn: lat ? (markedFovea(s) ?? 0) : 0,
    label: lat ? (markedFovea(s) !== null ? 'Distance from fovea (mm)' : 'Lateral position (mm)') : 'A-scan column (px)',
  };
  const fovea = markedFovea(s);
  const limits = fovea === null ? [] : zoneLimits(s);
  const h = 165;
  const w = (CW - 16) / 2;
  out.push(
    profilePlot({
      x: M,
      y: top + 10,
      w,
      h,
      title: 'Total retinal thickness (NFL to RPE)',
      yLabel: `Thickness (${unit})`,
      axis,
      series: [{ values: s.total.profile, color: INK, width: 1 }],
      zoneLimits: limits,
      fovea,
    }),
  );
  out.push(
    profilePlot({
      x: M + w + 16,
      y: top + 10,
      w,
      h,
      title: 'Thickness per layer (colours as legend)',
      yLabel: `Thickness (${unit})`,
      axis,
      series: s.layers.map((l) => ({
        values: l.profile,
        color: LAYERS.find((x) => x.key === l.layer)?.color ?? INK,
        width: 0.8,
      })),
      zoneLimits: limits,
      fovea,
    }),
  );
  return top + 10 + h;
}

function body(out: string[], input: ReportInput, top: number): void {
  const s = input.summary;
  const unit = unitLabel(s.total.unit);
  out.push(line(M, top - 8, M + CW, top - 8, RULE, 0.5));
  // zone table
  out.push(text(M, top + 4, `Mean thickness per zone (${unit})`, { size: 9.5, weight: 'bold' }));
  const tx = M;
  const firstW = 78;
  const colW = 52;
  const rowH = 13;
  let y = top + 29;
  out.push(text(tx, y, 'Layer', { size: 7.5, weight: 'bold', color: MUTED }));
  const eye = reportEye(input);
  ZONE_KEYS.forEach((z, i) => {
    const [a, b] = zoneLabel(z, eye.value, 'long').split(' ');
    const cx = tx + firstW + (i + 1) * colW - 4;
    if (b) out.push(text(cx, y - 9, a!, { size: 7.5, weight: 'bold', color: MUTED, anchor: 'end' }));
    out.push(text(cx, y, b ?? a!, { size: 7.5, weight: 'bold', color: MUTED, anchor: 'end' }));
  });
  const tableW = firstW + ZONE_KEYS.length * colW;
  out.push(line(tx, y + 4, tx + tableW, y + 4, INK, 0.6));
  const rows = [
    ...LAYERS.map((l) => ({ name: l.name, color: l.color as string | null, t: s.layers.find((x) => x.layer === l.key) })),
    { name: 'Total (TRT)', color: null, t: s.total },
  ];
  rows.forEach((r, i) => {
    y += rowH;
    if (i === rows.length - 1) out.push(line(tx, y - rowH + 4, tx + tableW, y - rowH + 4, INK, 0.4));
    else if (i % 2 === 1) out.push(rect(tx, y - rowH + 4, tableW, rowH, '#f5f5f5'));
    if (r.color) out.push(rect(tx, y - 6, 3, 7, r.color));
    out.push(text(tx + (r.color ? 7 : 0), y, r.name, { size: 8, weight: i === rows.length - 1 ? 'bold' : 'normal' }));
    ZONE_KEYS.forEach((z, j) => {
      const v = r.t ? r.t.zoneMeans[z] : null;
      out.push(text(tx + firstW + (j + 1) * colW - 4, y, formatThickness(v), { size: 8, anchor: 'end' }));
    });
  });
  out.push(line(tx, y + 4, tx + tableW, y + 4, INK, 0.6));
  const why = zonesMissingWhy(s);
  const zoneNote = s.fovea && !why
    ? `Zones centred on the fovea (column ${s.fovea.column}, ${s.fovea.method}, confidence ${Math.round(s.fovea.confidence * 100)} %). Eye ${describeEye(eye)}. — = not available.`
    : `Zone means not reliable or not available: ${why ?? 'no fovea found'}. — = not available.`;
  wrap(zoneNote, tableW, 6.8).forEach((l, i) => out.push(text(tx, y + 14 + i * 9, l, { size: 6.8, color: MUTED })));

  // right column: quality, review, model
  const rx = M + tableW + 22;
  const rw = M + CW - rx;
  let ry = top + 4;
  const bottom = PAGE.height - 50;
  const heading = (t: string) => {
    if (ry > bottom) return;
    out.push(text(rx, ry, t, { size: 9.5, weight: 'bold' }));
    ry += 13;
  };
  const item = (t: string, color = INK, bold = false) => {
    for (const l of wrap(t, rw, 7.6)) {
      if (ry > bottom) return;
      out.push(text(rx, ry, l, { size: 7.6, color, weight: bold ? 'bold' : 'normal' }));
      ry += 9.6;
    }
  };
  const f = s.flags;
  heading('Quality flags');
  const r = input.review;
  const flagged = needsReview(f);
  item(qualityFlagText(flagged, r.state), flagged ? WARN : INK, flagged);
  if (f.likelyFailure) item('Likely segmentation failure.', WARN, true);
  // what follows the reasons, measured first so that the reasons get the room that is left
  const measure = `Missing where it belongs (no retina, or INL..RPE): ${pct(f.columnsMissingLayers)} of columns`;
  const review: [string, string, boolean][] = [
    [`${reviewLabel(r.state)}${r.inCatalog ? '' : ' (not in the catalog)'}`, r.state === 'needs-review' ? WARN : INK, true],
    [`Segmentation: ${r.segmentation}`, INK, false],
    ...(r.correction?.changedShare != null ? [[`Corrected share of pixels: ${pct(r.correction.changedShare)}`, INK, false] as [string, string, boolean]] : []),
    [r.signOff ? `Signed off by ${r.signOff.by} on ${formatDate(r.signOff.at)}` : 'Not signed off', r.signOff ? INK : MUTED, false],
  ];
  const lines = (t: string) => wrap(t, rw, 7.6).length * 9.6;
  const more = '(+9 more: in the viewer and the segment JSON)';
  const after = lines(measure) + 3 + 13 + review.reduce((h, [t]) => h + lines(t), 0);
  // why, in brief, as many as fit (every reason in full: the viewer, the segment JSON)
  const findings = findingsOf(f);
  let shown = 0;
  for (const x of findings) {
    const t = `• ${briefOf(x)}`;
    const rest = shown + 1 < findings.length ? lines(more) : 0;
    if (ry + lines(t) + rest + after > bottom + 9.6) break;
    item(t, x.severity === 'info' ? MUTED : WARN);
    shown++;
  }
  if (shown < findings.length) item(`(+${findings.length - shown} more: in the viewer and the segment JSON)`, WARN);
  item(measure);
  ry += 3;
  heading('Review');
  for (const [t, colour, bold] of review) item(t, colour, bold);
}

function pct(share: number): string {
  return `${n(Math.round(share * 1000) / 10)} %`;
}

function footer(out: string[], input: ReportInput): void {
  const fy = PAGE.height - 30;
  out.push(line(M, fy - 10, M + CW, fy - 10, RULE, 0.5));
  const m = input.summary.model;
  const e = input.summary.engine;
  out.push(text(M, fy, `Stratum ${input.appVersion} · ${input.scan.name}`, { size: 7, color: MUTED }));
  // the model and engine the numbers come from (the page's side column is for the review)
  const model = `Model: ${m.name}, ${m.id} ${m.version} · ${e.engine}${e.executionProvider ? `/${e.executionProvider}` : ''}`;
  out.push(text(M, fy + 9, m.trained ? model : `${model} · UNTRAINED placeholder: not meaningful`, { size: 7, color: m.trained ? MUTED : WARN, weight: m.trained ? 'normal' : 'bold' }));
  out.push(text(M + CW, fy, DISCLAIMER, { size: 7, anchor: 'end', color: MUTED, weight: 'bold' }));
}
