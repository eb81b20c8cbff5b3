/**
 * `stratum maps` output: per map a `<map>.json` ({layer, unit, originMm, spacingMm, rows, cols, values},
 * row-major, null for no data) and a `<map>.png` (the map through the colour scale with the ETDRS grid
 * and its values, and the legend in µm). Device maps are prefixed `device-`; the RPE elevation above
 * the normal is `rpe-elevation`.
 */
import { join } from 'node:path';
import { round } from '../../../src-shared/analysis/numbers';
import { MAP_KEYS, type MapKey } from '../../../src-shared/analysis/enface/surfaces';
import type { EnfaceMapExport, EnfaceValues } from '../../../src-shared/analysis/enface/enface-map';
import type { VolumeAnalysis } from '../../../src-shared/analysis/enface/volume-analysis';
import type { ColourScaleName } from '../../../src-shared/analysis/enface/colour-scale';
import { gridStats } from '../../../src-shared/analysis/enface/etdrs';
import { writeFileAtomicAsync } from '../files/atomic-write';
import { renderMapFigure } from './render-map';

/** `<map>.json`: the one export shape of a map (src-shared/analysis/enface/enface-map.ts). */
export type MapJson = EnfaceMapExport;

export function mapJson(layer: string, label: string, source: MapJson['source'], map: EnfaceValues): MapJson {
  const { grid } = map;
  return {
    layer,
    label,
    source,
    unit: 'um',
    originMm: [round(grid.originMm[0], 6), round(grid.originMm[1], 6)],
    spacingMm: [round(grid.spacingMm[0], 6), round(grid.spacingMm[1], 6)],
    rows: grid.rows,
    cols: grid.cols,
    values: Array.from(map.values, (v) => (Number.isNaN(v) ? null : round(v, 2))),
  };
}

export interface WrittenMap {
  layer: string;
  source: MapJson['source'];
  json: string;
  png: string;
  cellsWithData: number;
}

/** Writes every map of an analysis (and its RPE elevation) into `dir`; atomic per file. */
export async function writeMaps(a: VolumeAnalysis, dir: string, subtitle: string, colours: ColourScaleName = 'viridis'): Promise<WrittenMap[]> {
  const prefix = a.source === 'device' ? 'device-' : '';
  const entries: { layer: string; label: string; map: EnfaceValues; key: MapKey | null }[] = MAP_KEYS.filter((k) => a.mapSet.maps[k]).map((k) => ({ layer: k, label: a.mapSet.maps[k]!.label, map: a.mapSet.maps[k]!, key: k }));
  if (a.drusen) entries.push({ layer: 'rpe-elevation', label: 'RPE elevation above the normal', map: a.drusen.elevation, key: null });
  const out: WrittenMap[] = [];
  for (const e of entries) {
    const json = join(dir, `${prefix}${e.layer}.json`);
    const png = join(dir, `${prefix}${e.layer}.png`);
    await writeFileAtomicAsync(json, `${JSON.stringify(mapJson(e.layer, e.label, a.source, e.map))}\n`);
    const stats = e.key ? (a.grids[e.key] ?? null) : gridStats(e.map, a.fovea.centreMm, a.eye);
    const figure = await renderMapFigure(
      { map: { ...e.map, key: e.key ?? 'RPE', label: e.label, unit: 'um' }, centre: a.fovea.centreMm, stats, eye: a.eye, colours },
      `${e.label}${a.source === 'device' ? ' (device)' : ''}`,
      subtitle,
    );
    await writeFileAtomicAsync(png, figure.png);
    out.push({ layer: e.layer, source: a.source, json, png, cellsWithData: e.map.values.reduce((n, v) => (Number.isNaN(v) ? n : n + 1), 0) });
  }
  return out;
}
