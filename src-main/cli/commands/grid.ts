import { resolve } from 'node:path';
import type { Command } from 'commander';
import { MAP_KEYS } from '../../../src-shared/analysis/enface/surfaces';
import { describeEye } from '../../../src-shared/domain/laterality';
import type { VolumeAnalysis } from '../../../src-shared/analysis/enface/volume-analysis';
import { primaryAnalysis, type VolumeResult } from '../../services/enface/analyse-volume';
import { gridCsv, gridReportJson, gridRows } from '../../services/enface/grid-export';
import { writeFileAtomic } from '../../services/files/atomic-write';
import { printJson } from '../context';
import { parseVolumeAnalysisOptions, withVolume, withVolumeAnalysis, type VolumeInputOptions } from '../volume-input';

interface GridOptions extends VolumeInputOptions {
  json?: boolean;
  csv?: string;
}

/** `stratum grid FILE|--scan ID [--json] [--csv FILE]`: the ETDRS table from Stratum's and the device's segmentation. */
export function registerGrid(program: Command): void {
  program
    .command('grid')
    .description("Print a volume's ETDRS grid (1, 3, 6 mm around the fovea): mean thickness, volume and coverage per subfield and layer, from Stratum's and the device's segmentation, their difference, drusen")
    .argument('[file]', 'a vendor OCT volume: segmented now, nothing imported')
    .option('--scan <id>', 'a catalog volume (uses its stored segmentation of each B-scan)')
    .option('--device-only', "a file: only the device's grid (no segmentation)")
    .option('--model <id>', 'a file: the model to segment with')
    .option('--fovea <x,y>', 'centre the grid here (mm on the localizer) instead of the foveal pit found')
    .option('--spacing <mm>', 'grid cell size in mm (default: the A-scan spacing)')
    .option('--csv <file>', 'also write one row per source x subfield x layer as CSV')
    .option('--json', 'print the table as one JSON object (field names mapped to LOINC/DICOM codes)')
    .action(async (file: string | undefined, opts: GridOptions, command: Command) => {
      const analysis = parseVolumeAnalysisOptions(opts);
      await withVolume(command, file, opts, (v) =>
        withVolumeAnalysis(v, opts, analysis, (r) => {
          if (opts.csv) {
            const path = resolve(opts.csv);
            writeFileAtomic(path, gridCsv(gridRows(r)));
            process.stderr.write(`wrote ${path}\n`);
          }
          if (opts.json) printJson(gridReportJson(r));
          else process.stdout.write(gridText(r));
        }),
      );
    });
}

const cell = (v: number | null, digits = 1) => (v === null ? '-' : v.toFixed(digits));

function table(title: string, a: VolumeAnalysis): string[] {
  const maps = MAP_KEYS.filter((k) => a.grids[k]);
  const head = ['subfield', 'coverage', ...maps].map((h, i) => (i === 0 ? h.padEnd(13) : h.padStart(9)));
  const lines = [title, head.join('')];
  const total = a.grids.total ?? a.grids[maps[0]!]!;
  total.subfields.forEach((s, i) => {
    const cov = `${s.coveragePct.toFixed(1)}%${s.partial ? '*' : ' '}`;
    lines.push([s.subfield.padEnd(13), cov.padStart(9), ...maps.map((k) => cell(a.grids[k]!.subfields[i]!.meanUm).padStart(9))].join(''));
  });
  lines.push(['centre point'.padEnd(13), ''.padStart(9), ...maps.map((k) => cell(a.grids[k]!.centralPointUm).padStart(9))].join(''));
  lines.push(['volume mm³'.padEnd(13), `${total.coveragePct.toFixed(1)}%`.padStart(9), ...maps.map((k) => cell(a.grids[k]!.totalVolumeMm3, 3).padStart(9))].join(''));
  lines.push('  mean thickness µm per subfield; * partial: under 80 % of the subfield holds data');
  if (a.drusen) {
    const d = a.drusen;
    lines.push(`  drusen (RPE complex over ${cell(d.normalRpeUm)} µm by >= ${cell(d.minElevationUm)} µm): ${d.circles.map((c) => `${c.diameterMm} mm circle ${cell(c.areaMm2, 3)} mm², ${cell(c.volumeMm3, 4)} mm³ (${c.coveragePct.toFixed(0)}% covered)`).join('; ')}`);
  }
  return lines;
}

function gridText(r: VolumeResult): string {
  const f = primaryAnalysis(r).fovea;
  const lines = [
    `${r.source.name}: eye ${describeEye(r.source.eye, 'short')}${r.eye === 'unknown' ? ' (subfields named by image side L/R)' : ''}; fovea (${f.centreMm.x}, ${f.centreMm.y}) mm, ${f.method}, confidence ${f.confidence}`,
    `  ${f.how}`,
  ];
  if (r.stratum) lines.push('', ...table(`Stratum (${r.segmentation?.segmentations.join('; ') || 'segmentation'}${r.segmentation?.missing.length ? `; ${r.segmentation.missing.length} B-scans without one` : ''})`, r.stratum));
  if (r.device) lines.push('', ...table(`Device (${r.source.device?.label ?? 'device lines'})`, r.device));
  for (const c of r.comparison ?? []) {
    lines.push('', `Stratum minus device, ${c.map}: ${c.subfields.map((s) => `${s.subfield} ${cell(s.differenceUm)}`).join(', ')} µm; centre point ${cell(c.centralPoint.differenceUm)} µm`);
  }
  return `${lines.join('\n')}\n`;
}
