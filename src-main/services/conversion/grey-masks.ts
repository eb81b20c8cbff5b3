import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { classesFromGreyMask, detectGreyEncoding } from '../../../src-shared/annotations/grey-encoding';
import { agreement } from '../../../src-shared/annotations/rasterize';
import type { GreyMaskReport } from '../../../src-shared/annotations/report';
import { summarise, type Progress } from './annotations-to-masks';
import { prepareOutputDir } from '../files/atomic-write';
import { IMAGE_EXTENSIONS, requireDir, stemOf } from './files';
import { readMaskFile, writeMaskPng } from './mask-io';

/**
 * The original project's grey masks (PNG data, often under a .jpeg name) -> class-index masks. Each
 * mask's encoding is detected from its grey values; one that cannot be decoded unambiguously is refused
 * with the reason and the others still convert.
 */
export async function convertGreyMasks(
  options: { inDir: string; outDir: string; compareDir?: string },
  progress: Progress = async () => undefined,
): Promise<GreyMaskReport> {
  requireDir(options.inDir, 'grey masks');
  if (options.compareDir) requireDir(options.compareDir, 'reference masks');
  prepareOutputDir(options.outDir, 'output');
  const files = readdirSync(options.inDir)
    .filter((f) => IMAGE_EXTENSIONS.has(extname(f).toLowerCase()) && statSync(join(options.inDir, f)).isFile())
    .sort();
  const masks: GreyMaskReport['masks'] = [];
  const agreements: number[] = [];
  for (const [n, file] of files.entries()) {
    await progress(n / files.length, 'Decoding', file);
    const path = join(options.inDir, file);
    let m;
    try {
      m = await readMaskFile(path);
    } catch (error) {
      masks.push({ file, error: (error as Error).message });
      continue;
    }
    if (!m.grey) {
      masks.push({ file, error: 'not a grey mask (R, G and B differ)' });
      continue;
    }
    const detected = detectGreyEncoding(new Set(m.data));
    if (!detected.ok) {
      masks.push({ file, error: detected.reason });
      continue;
    }
    const decoded = { width: m.width, height: m.height, data: classesFromGreyMask(m.data, detected.lut) };
    const out = join(options.outDir, `${stemOf(file)}.png`);
    let agree: number | undefined;
    try {
      await writeMaskPng(out, decoded);
      const ref = options.compareDir ? join(options.compareDir, `${stemOf(file)}.png`) : undefined;
      if (ref && existsSync(ref)) {
        const r = await readMaskFile(ref);
        agree = r.width === m.width && r.height === m.height ? agreement(decoded.data, r.data) : 0;
      }
    } catch (error) {
      masks.push({ file, error: (error as Error).message });
      continue;
    }
    if (agree !== undefined) agreements.push(agree);
    masks.push({ file, mask: out, encoding: detected.encoding, ...(agree === undefined ? {} : { agreement: agree }) });
  }
  await progress(1, 'Done');
  const refused = masks.filter((m) => m.error).length;
  return {
    inDir: options.inDir,
    outDir: options.outDir,
    masks,
    decoded: masks.length - refused,
    refused,
    ...(agreements.length > 0 ? { agreement: summarise(agreements) } : {}),
  };
}
