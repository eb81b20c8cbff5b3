import sharp, { type OverlayOptions } from 'sharp';
import { hexToRgb, LAYERS } from '../../../src-shared/domain/layers';
import type { MaskBuffer } from '../../../src-shared/annotations/rasterize';
import { escapeXml } from '../../../src-shared/text/xml';
import { writeFileAtomicAsync } from '../files/atomic-write';


/** The legend as SVG: one swatch per layer (layer table colours), marking the classes absent from the mask. */
export function legendSvg(present: ReadonlySet<number>, height: number): string {
  const row = Math.max(14, Math.min(24, Math.floor(height / (LAYERS.length + 1))));
  const w = 190;
  const items = LAYERS.map((l, i) => {
    const y = 6 + i * row;
    const absent = present.has(l.index) ? '' : ' (absent)';
    return `<rect x="6" y="${y}" width="${row - 4}" height="${row - 4}" fill="${l.color}"/><text x="${row + 8}" y="${y + row - 7}" font-family="sans-serif" font-size="${row - 8}" fill="#fff">${l.index} ${escapeXml(l.name)}${absent}</text>`;
  }).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${12 + LAYERS.length * row}"><rect width="100%" height="100%" fill="#000" fill-opacity="0.6"/>${items}</svg>`;
}

/** A colour overlay of `mask` on the image (alpha 0.45) with a legend in the bottom-right corner, as PNG. */
export async function writePreview(imagePath: string, mask: MaskBuffer, outPath: string): Promise<void> {
  const rgba = Buffer.alloc(mask.width * mask.height * 4);
  const colours = new Map(LAYERS.map((l) => [l.index, hexToRgb(l.color)]));
  const present = new Set<number>();
  for (let i = 0; i < mask.data.length; i++) {
    const c = colours.get(mask.data[i]!);
    if (!c) continue;
    present.add(mask.data[i]!);
    rgba[i * 4] = c[0];
    rgba[i * 4 + 1] = c[1];
    rgba[i * 4 + 2] = c[2];
    rgba[i * 4 + 3] = 115;
  }
  const legend = Buffer.from(legendSvg(present, mask.height));
  const legendMeta = await sharp(legend).metadata();
  const overlay = await sharp(rgba, { raw: { width: mask.width, height: mask.height, channels: 4 } }).png().toBuffer();
  const base = sharp(imagePath).resize(mask.width, mask.height, { fit: 'fill' }).removeAlpha();
  const composites: OverlayOptions[] = [{ input: overlay, left: 0, top: 0 }];
  if ((legendMeta.width ?? 0) <= mask.width && (legendMeta.height ?? 0) <= mask.height) {
    composites.push({ input: legend, left: mask.width - (legendMeta.width ?? 0), top: mask.height - (legendMeta.height ?? 0) });
  }
  await writeFileAtomicAsync(outPath, await base.composite(composites).png().toBuffer());
}
