/**
 * Rasters and PNGs of the en-face maps (sharp): the map's own pixels through the colour scale, and the
 * figure (map + grid + legend) rendered from its SVG.
 */
import sharp from 'sharp';
import { mapToRgba, scaleForValues, type ColourScale, type ColourScaleName } from '../../../src-shared/analysis/enface/colour-scale';
import type { EnfaceMap } from '../../../src-shared/analysis/enface/map-set';
import type { GridStats } from '../../../src-shared/analysis/enface/etdrs';
import type { PointMm } from '../../../src-shared/formats/types';
import type { Laterality } from '../../../src-shared/domain/laterality';
import { mapFigureSvg, type MapPanel } from './map-svg';

/** The map's cells as a PNG (one pixel per cell, transparent without data), as a data URI for SVG. */
export async function mapRasterHref(map: EnfaceMap, scale: ColourScale): Promise<string> {
  const { rows, cols } = map.grid;
  const png = await sharp(Buffer.from(mapToRgba(map.values, scale).buffer), { raw: { width: cols, height: rows, channels: 4 } })
    .png({ compressionLevel: 3 })
    .toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}

export interface MapPanelInput {
  map: EnfaceMap;
  centre: PointMm;
  stats: GridStats | null;
  eye: Laterality;
  scale?: ColourScale;
  colours?: ColourScaleName;
}

/** Everything a panel needs, the raster encoded. */
export async function preparePanel(input: MapPanelInput): Promise<MapPanel> {
  const scale = input.scale ?? scaleForValues(input.map.values, input.colours);
  return { map: input.map, rasterHref: await mapRasterHref(input.map, scale), scale, centre: input.centre, stats: input.stats, eye: input.eye };
}

/** An SVG document to PNG at `widthPx` (librsvg through sharp), on white. */
export async function svgDocumentToPng(svg: string, svgWidth: number, widthPx: number): Promise<Buffer> {
  return sharp(Buffer.from(svg), { density: (72 * widthPx) / svgWidth }).flatten({ background: '#ffffff' }).png({ compressionLevel: 6 }).toBuffer();
}

/** The standalone figure of one map as PNG (840 px wide by default) and its SVG. */
export async function renderMapFigure(input: MapPanelInput, title: string, subtitle: string, widthPx = 840): Promise<{ svg: string; png: Buffer }> {
  const svg = mapFigureSvg(await preparePanel(input), title, subtitle);
  return { svg, png: await svgDocumentToPng(svg, 420, widthPx) };
}
