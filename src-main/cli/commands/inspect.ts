import type { Command } from 'commander';
import { AppError } from '../../../src-shared/contract';
import { describeScale, summariseSeries, type SeriesSummary } from '../../../src-shared/formats/summary';
import type { StatedDimensions } from '../../../src-shared/formats/types';
import { openSeriesFile } from '../../services/formats/open-series-file';
import { EXIT, printJson, reportError } from '../context';

/**
 * `stratum inspect FILE...`: what a vendor OCT file holds (format, kind, B-scans, sizes, scale and its
 * provenance, eye, date, device, localizer, the device's boundaries), without importing it. Never
 * prints the patient fields the file holds. A bad file is reported and the rest carry on (exit 1).
 */

interface InspectOptions {
  json?: boolean;
  dimensions?: string;
  series?: string;
  readAll?: boolean;
}

interface ReadCheck {
  bscansRead: number;
  meanGrey: number;
  milliseconds: number;
}

function parseDimensions(text: string | undefined): StatedDimensions | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d+)x(\d+)x(\d+)$/i.exec(text.trim());
  if (!match) throw new AppError('VALIDATION', `--dimensions must be BSCANSxWIDTHxDEPTH (e.g. 128x512x1024), not "${text}"`);
  return { bscans: Number(match[1]), width: Number(match[2]), height: Number(match[3]) };
}

function parseSeries(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new AppError('VALIDATION', `--series must be a number from 0, not "${text}"`);
  return Number(text);
}

function describe(path: string, s: SeriesSummary, check: ReadCheck | null): string {
  const rows: [string, string][] = [
    ['format', `${s.formatLabel}${s.version ? ` (${s.version})` : ''}`],
    ['kind', `${s.kind}, ${s.bscanCount} B-scan${s.bscanCount === 1 ? '' : 's'} of ${s.width} x ${s.height}${s.dimensionsSource === 'file' ? '' : ` (dimensions ${s.dimensionsSource})`}`],
    ['scale', describeScale(s.scale)],
    ['eye', s.eye ? `${s.eye.value} (file: ${s.eye.field})` : 'unknown'],
    ['acquired', s.acquired ?? 'unknown'],
    ['device', s.device ?? 'unknown'],
    ['protocol', s.protocol ?? 'unknown'],
    [
      'localizer',
      s.localizer
        ? `${s.localizer.width} x ${s.localizer.height}${s.localizer.scaleXMm ? `, ${Number(s.localizer.scaleXMm.toPrecision(6))} mm/px` : ''}${s.localizer.modality ? ` (${s.localizer.modality})` : ''}${s.localizer.missing ? `: MISSING, ${s.localizer.missing}` : ''}`
        : 'none',
    ],
    ['device lines', s.deviceBoundaries ? `${s.deviceBoundaries.names.join(', ')} (${s.deviceBoundaries.source}, ${s.deviceBoundaries.bscanCount} B-scans)` : 'none'],
  ];
  if (s.pairing) rows.push(['pairing', `${s.pairing.rule}: ${s.pairing.detail}`]);
  if (check) rows.push(['read', `${check.bscansRead} B-scans in ${check.milliseconds} ms, mean grey ${check.meanGrey}`]);
  for (const note of s.notes) rows.push(['note', note]);
  return [path, ...rows.map(([k, v]) => `  ${k.padEnd(13)}${v}`)].join('\n') + '\n';
}

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('Show what vendor OCT files hold (Heidelberg VOL/E2E/XML, Topcon FDA/FDS, Zeiss IMG) without importing them')
    .argument('<files...>', 'files (or a Heidelberg XML export folder)')
    .option('--json', 'print JSON')
    .option('--dimensions <BxWxD>', 'B-scans x width x depth for a headerless Zeiss .img')
    .option('--series <n>', 'which series of a multi-series file (E2E), from 0')
    .option('--read-all', 'decode every B-scan (checks the pixels, reports the time)')
    .action(async (files: string[], opts: InspectOptions) => {
      const dimensions = parseDimensions(opts.dimensions);
      const seriesIndex = parseSeries(opts.series);
      const results: ({ file: string; ok: true; series: SeriesSummary; read: ReadCheck | null } | { file: string; ok: false; error: { code: string; message: string } })[] = [];
      for (const file of files) {
        try {
          const opened = await openSeriesFile(file, { ...(dimensions ? { dimensions } : {}), ...(seriesIndex !== undefined ? { seriesIndex } : {}) });
          try {
            const read = opts.readAll ? await readEvery(opened.series) : null;
            const summary = summariseSeries(opened.series);
            results.push({ file, ok: true, series: summary, read });
            if (!opts.json) process.stdout.write(describe(file, summary, read));
          } finally {
            await opened.close();
          }
        } catch (error) {
          const wire = error instanceof AppError ? { code: error.code, message: error.message } : { code: 'INTERNAL', message: (error as Error)?.message ?? String(error) };
          results.push({ file, ok: false, error: wire });
          if (!opts.json) reportError(error);
        }
      }
      if (opts.json) printJson(results);
      if (results.some((r) => !r.ok)) process.exitCode = EXIT.partialFailure;
    });
}

async function readEvery(series: { bscanCount: number; bscan(i: number): Promise<{ pixels: Uint8Array }> }): Promise<ReadCheck> {
  const started = Date.now();
  let sum = 0;
  let count = 0;
  for (let i = 0; i < series.bscanCount; i++) {
    const { pixels } = await series.bscan(i);
    for (let p = 0; p < pixels.length; p++) sum += pixels[p] ?? 0;
    count += pixels.length;
  }
  return { bscansRead: series.bscanCount, meanGrey: count ? Math.round((sum / count) * 10) / 10 : 0, milliseconds: Date.now() - started };
}
