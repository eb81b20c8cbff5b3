import type { Handlers } from '../dispatcher';
import type { Services } from '../../services/container';
import { convertCoco, convertVgg } from '../../services/conversion/annotations-to-masks';
import { convertGreyMasks } from '../../services/conversion/grey-masks';
import { masksToVgg } from '../../services/conversion/masks-to-vgg';

const catalogOf = (s: Services) => ({ scans: s.scans, segmentations: s.segmentations });

type ConvertChannel = 'convert.vgg' | 'convert.coco' | 'convert.greyMasks' | 'convert.toVgg' | 'convert.validate';

export function convertHandlers(s: Services): Pick<Handlers, ConvertChannel> {
  return {
    'convert.vgg': async (r) => ({
      jobId: s.jobs.start('convert-vgg', `Convert ${r.labelsPath}`, (ctx) => convertVgg({ ...r, catalog: r.intoCatalog ? catalogOf(s) : undefined }, (f, stage, detail) => ctx.progress(f, stage, detail))),
    }),
    'convert.coco': async (r) => ({
      jobId: s.jobs.start('convert-coco', `Convert ${r.cocoPaths.length} COCO file(s)`, (ctx) => convertCoco({ ...r, catalog: r.intoCatalog ? catalogOf(s) : undefined }, (f, stage, detail) => ctx.progress(f, stage, detail))),
    }),
    'convert.greyMasks': async (r) => ({
      jobId: s.jobs.start('convert-grey-masks', `Decode grey masks in ${r.inDir}`, (ctx) => convertGreyMasks(r, (f, stage, detail) => ctx.progress(f, stage, detail))),
    }),
    'convert.toVgg': async (r) => ({
      jobId: s.jobs.start('convert-to-vgg', `Trace masks in ${r.masksDir}`, (ctx) => masksToVgg(r, (f, stage, detail) => ctx.progress(f, stage, detail))),
    }),
    'convert.validate': async (r) => convertVgg({ labelsPath: r.labelsPath, imagesDir: r.imagesDir, classesPath: r.classesPath, correctionsPath: r.correctionsPath }),
  };
}
