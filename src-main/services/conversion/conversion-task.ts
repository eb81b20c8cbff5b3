/**
 * One conversion as plain data, so it can run where it is cheapest: in a worker thread for the app
 * (conversion-worker-client.ts; the main event loop keeps answering, cancel terminates the worker) or
 * in-process for the CLI. The catalog stays on the main thread: `attach` is how a worker reaches it.
 */
import type { ConversionReport, GreyMaskReport, ToVggReport } from '../../../src-shared/annotations/report';
import { convertCoco, convertVgg, type CocoConvertOptions, type Progress, type VggConvertOptions } from './annotations-to-masks';
import type { MaskAttacher } from './catalog-attach';
import { convertGreyMasks } from './grey-masks';
import { masksToVgg } from './masks-to-vgg';

export type ConversionTask =
  | { kind: 'vgg'; options: Omit<VggConvertOptions, 'attach'>; attach?: boolean }
  | { kind: 'coco'; options: Omit<CocoConvertOptions, 'attach'>; attach?: boolean }
  | { kind: 'greyMasks'; options: Parameters<typeof convertGreyMasks>[0] }
  | { kind: 'toVgg'; options: Parameters<typeof masksToVgg>[0] };

export interface ConversionResults {
  vgg: ConversionReport;
  coco: ConversionReport;
  greyMasks: GreyMaskReport;
  toVgg: ToVggReport;
}

export type ConversionResult<T extends ConversionTask> = ConversionResults[T['kind']];

export function runConversionTask<T extends ConversionTask>(task: T, progress: Progress, attach?: MaskAttacher): Promise<ConversionResult<T>>;
export function runConversionTask(task: ConversionTask, progress: Progress, attach?: MaskAttacher): Promise<ConversionResults[keyof ConversionResults]> {
  const withAttach = <O>(options: O, wanted?: boolean) => ({ ...options, ...(wanted && attach ? { attach } : {}) });
  switch (task.kind) {
    case 'vgg':
      return convertVgg(withAttach(task.options, task.attach), progress);
    case 'coco':
      return convertCoco(withAttach(task.options, task.attach), progress);
    case 'greyMasks':
      return convertGreyMasks(task.options, progress);
    case 'toVgg':
      return masksToVgg(task.options, progress);
  }
}
