import { resolve } from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../../src-shared/contract';
import { prepareOutputDir } from '../../services/files/atomic-write';
import { primaryAnalysis } from '../../services/enface/analyse-volume';
import { writeMaps } from '../../services/enface/map-export';
import { printJson } from '../context';
import { parseVolumeAnalysisOptions, withVolume, withVolumeAnalysis, type VolumeInputOptions } from '../volume-input';

interface MapsOptions extends VolumeInputOptions {
  out?: string;
  colours?: string;
  json?: boolean;
}

/**
 * `stratum maps FILE|--scan ID --out DIR`: the en-face thickness maps of a volume, from Stratum's
 * segmentation (a file is segmented now; a catalog scan uses its stored segmentation) and from the
 * device's lines where the volume has them.
 */
export function registerMaps(program: Command): void {
  program
    .command('maps')
    .description('Write en-face thickness maps of a volume: <map>.json (values on a grid in mm, null for no data) and <map>.png (colour scale, ETDRS grid, legend in µm); device-<map>.* from the device\'s lines')
    .argument('[file]', 'a vendor OCT volume (Heidelberg VOL/E2E/XML export folder, Topcon FDA): segmented now, nothing imported')
    .option('--scan <id>', 'a catalog volume (uses its stored segmentation of each B-scan)')
    .requiredOption('--out <dir>', 'output folder')
    .option('--device-only', "a file: only the device's maps (no segmentation)")
    .option('--model <id>', 'a file: the model to segment with (default: the trained model)')
    .option('--fovea <x,y>', 'centre the grid here (mm on the localizer) instead of the foveal pit found')
    .option('--spacing <mm>', 'grid cell size in mm (default: the A-scan spacing)')
    .option('--colours <scale>', 'viridis (default) or cividis', 'viridis')
    .option('--json', 'print one JSON object listing what was written')
    .action(async (file: string | undefined, opts: MapsOptions, command: Command) => {
      if (opts.colours !== 'viridis' && opts.colours !== 'cividis') throw new AppError('VALIDATION', '--colours must be viridis or cividis');
      const colours = opts.colours;
      const analysis = parseVolumeAnalysisOptions(opts);
      const dir = resolve(opts.out!);
      prepareOutputDir(dir, 'maps');
      await withVolume(command, file, opts, (v) =>
        withVolumeAnalysis(v, opts, analysis, async (r) => {
          const subtitle = `${v.source.name} · ${v.source.facts.device ?? 'device unknown'} · eye ${r.eye}`;
          const written = [...(r.stratum ? await writeMaps(r.stratum, dir, subtitle, colours) : []), ...(r.device ? await writeMaps(r.device, dir, subtitle, colours) : [])];
          const fovea = primaryAnalysis(r).fovea;
          if (opts.json) printJson({ volume: v.source.name, eye: r.eye, fovea, segmentation: r.segmentation, maps: written });
          else {
            for (const w of written) process.stdout.write(`${w.source === 'device' ? 'device ' : ''}${w.layer}: ${w.json} ${w.png} (${w.cellsWithData} cells with data)\n`);
            process.stderr.write(`fovea (${fovea.centreMm.x}, ${fovea.centreMm.y}) mm: ${fovea.method}, confidence ${fovea.confidence}\n`);
            if (r.segmentation?.missing.length) process.stderr.write(`${r.segmentation.missing.length} of ${v.source.bscanCount} B-scans have no segmentation: holes in Stratum's maps (stratum segment --scan ID)\n`);
          }
        }),
      );
    });
}
