import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { AppError } from '../../../src-shared/contract';
import { traceMask } from '../../../src-shared/annotations/contours';
import { agreement } from '../../../src-shared/annotations/rasterize';
import type { ToVggReport } from '../../../src-shared/annotations/report';
import { rasterizeAnnotation } from '../../../src-shared/annotations/vgg';
import { layerByIndex } from '../../../src-shared/domain/layers';
import type { Progress } from './annotations-to-masks';
import { checkOutputFile, writeFileAtomic } from '../files/atomic-write';
import { IMAGE_EXTENSIONS, requireDir } from './files';
import { readMaskFile } from './mask-io';

/**
 * Class-index masks (`<stem>.png`) -> one VGG/VIA JSON (makesense.ai can import it), keyed by
 * `<stem><imageExt>`: each connected region of a layer becomes a polygon (its outer boundary, simplified),
 * largest first so enclosed regions are painted on top. Reports the round trip (polygons -> mask) per image.
 */
export async function masksToVgg(
  options: { masksDir: string; out: string; imageExt?: string; epsilon?: number; overwrite?: boolean },
  progress: Progress = async () => undefined,
): Promise<ToVggReport> {
  requireDir(options.masksDir, 'masks');
  checkOutputFile(options.out, 'labels file', { overwrite: options.overwrite ?? true, overwriteHint: '--force' });
  const ext = options.imageExt ?? '.jpeg';
  const files = readdirSync(options.masksDir)
    .filter((f) => IMAGE_EXTENSIONS.has(extname(f).toLowerCase()) && statSync(join(options.masksDir, f)).isFile())
    .sort();
  if (files.length === 0) throw new AppError('BAD_INPUT', `${options.masksDir}: no mask files (PNG) found`, { path: options.masksDir });
  const json: Record<string, unknown> = {};
  const images: ToVggReport['images'] = [];
  for (const [n, file] of files.entries()) {
    await progress(n / files.length, 'Tracing', file);
    const mask = await readMaskFile(join(options.masksDir, file));
    const bad = mask.data.find((v) => v > 8);
    if (bad !== undefined) {
      throw new AppError('BAD_INPUT', `${join(options.masksDir, file)}: pixel value ${bad} is not a class index (0-8); decode grey masks first (stratum convert grey-masks)`, { file });
    }
    const regions = traceMask(mask, { epsilon: options.epsilon });
    const filename = `${basename(file, extname(file))}${ext}`;
    const regionsJson: Record<string, unknown> = {};
    regions.forEach((r, i) => {
      regionsJson[String(i)] = {
        shape_attributes: { name: 'polygon', all_points_x: r.xs, all_points_y: r.ys },
        region_attributes: { label: layerByIndex(r.classIndex)?.key ?? String(r.classIndex) },
      };
    });
    json[filename] = { fileref: '', size: 0, filename, base64_img_data: '', file_attributes: {}, regions: regionsJson };
    const back = rasterizeAnnotation(
      { filename, polygons: regions.map((r, i) => ({ label: String(r.classIndex), classIndex: r.classIndex, xs: r.xs, ys: r.ys, entry: String(i), region: i })) },
      mask.width,
      mask.height,
    );
    images.push({ image: filename, polygons: regions.length, roundTrip: agreement(back.mask.data, mask.data) });
  }
  writeFileAtomic(options.out, JSON.stringify(json));
  await progress(1, 'Done');
  const rt = images.map((i) => i.roundTrip);
  return { masksDir: options.masksDir, out: options.out, images, roundTrip: { min: Math.min(...rt), mean: rt.reduce((s, v) => s + v, 0) / rt.length } };
}
