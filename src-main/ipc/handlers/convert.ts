import type { Handlers } from '../dispatcher';
import type { Services } from '../../services/container';
import { catalogAttacher } from '../../services/conversion/catalog-attach';
import { runConversionInWorker } from '../../services/conversion/conversion-worker-client';
import type { JobContext } from '../../jobs/job-runner';
import { countOf } from '../../../src-shared/domain/wording';

const attacherOf = (s: Services, into?: boolean) => (into ? catalogAttacher({ scans: s.scans, segmentations: s.segmentations }) : undefined);
const jobOptions = (ctx: JobContext) => ({ signal: ctx.signal, progress: (f: number | null, stage: string, detail?: string) => ctx.progress(f, stage, detail) });

type ConvertChannel = 'convert.vgg' | 'convert.coco' | 'convert.greyMasks' | 'convert.toVgg' | 'convert.validate';

/** Every conversion runs in a worker thread (conversion-worker-client.ts): the host keeps answering; cancel ends it. */
export function convertHandlers(s: Services): Pick<Handlers, ConvertChannel> {
  return {
    'convert.vgg': async ({ intoCatalog, ...options }) => ({
      jobId: s.jobs.start('convert-vgg', `Convert ${options.labelsPath}`, (ctx) =>
        runConversionInWorker({ kind: 'vgg', options, attach: intoCatalog }, { ...jobOptions(ctx), attach: attacherOf(s, intoCatalog) }),
      ),
    }),
    'convert.coco': async ({ intoCatalog, ...options }) => ({
      jobId: s.jobs.start('convert-coco', `Convert ${countOf(options.cocoPaths.length, 'COCO file')}`, (ctx) =>
        runConversionInWorker({ kind: 'coco', options, attach: intoCatalog }, { ...jobOptions(ctx), attach: attacherOf(s, intoCatalog) }),
      ),
    }),
    'convert.greyMasks': async (r) => ({
      jobId: s.jobs.start('convert-grey-masks', `Decode grey masks in ${r.inDir}`, (ctx) => runConversionInWorker({ kind: 'greyMasks', options: r }, jobOptions(ctx))),
    }),
    'convert.toVgg': async (r) => ({
      jobId: s.jobs.start('convert-to-vgg', `Trace masks in ${r.masksDir}`, (ctx) => runConversionInWorker({ kind: 'toVgg', options: r }, jobOptions(ctx))),
    }),
    'convert.validate': async (r) =>
      runConversionInWorker({ kind: 'vgg', options: { labelsPath: r.labelsPath, imagesDir: r.imagesDir, classesPath: r.classesPath, correctionsPath: r.correctionsPath } }),
  };
}
