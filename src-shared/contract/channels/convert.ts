import { z } from 'zod';
import { channel } from '../define';
import type { ConversionReport } from '../../annotations/report';

const path = z.string().min(1).max(4096);

/**
 * Annotation conversion (docs/ANNOTATIONS.md). Each start channel returns a job whose `result` is the report;
 * the work runs in a worker thread and cancelling the job stops it at once. Inputs beyond the annotation
 * limits (src-shared/annotations/limits.ts) are TOO_LARGE.
 */
export const convertChannels = {
  'convert.vgg': channel<{ jobId: string }>()({
    description: 'Starts converting a VGG/VIA JSON (makesense.ai) into class-index PNG masks (with intoCatalog, also attached to the matching scans as manual segmentations); the job result is a ConversionReport.',
    request: z
      .object({ labelsPath: path, imagesDir: path, outDir: path, classesPath: path.optional(), correctionsPath: path.optional(), preview: z.boolean().optional(), intoCatalog: z.boolean().optional() })
      .strict(),
    errors: ['BAD_INPUT', 'TOO_LARGE', 'CONFLICT', 'NOT_FOUND', 'IO'],
  }),
  'convert.coco': channel<{ jobId: string }>()({
    description: 'Starts converting COCO instance files into class-index PNG masks; the job result is a ConversionReport.',
    request: z
      .object({ cocoPaths: z.array(path).min(1).max(1000), imagesDir: path, outDir: path, classesPath: path.optional(), preview: z.boolean().optional(), intoCatalog: z.boolean().optional() })
      .strict(),
    errors: ['BAD_INPUT', 'TOO_LARGE', 'CONFLICT', 'NOT_FOUND', 'IO'],
  }),
  'convert.greyMasks': channel<{ jobId: string }>()({
    description: "Starts decoding the original project's stretched grey masks into class-index masks; the job result is a GreyMaskReport.",
    request: z.object({ inDir: path, outDir: path }).strict(),
    errors: ['BAD_INPUT', 'TOO_LARGE', 'CONFLICT', 'NOT_FOUND', 'IO'],
  }),
  'convert.toVgg': channel<{ jobId: string }>()({
    description: 'Starts tracing class-index masks into a VGG/VIA JSON of polygons; the job result is a ToVggReport.',
    request: z.object({ masksDir: path, out: path, imageExt: z.string().regex(/^\.?[A-Za-z0-9]{1,8}$/).optional() }).strict(),
    errors: ['BAD_INPUT', 'TOO_LARGE', 'CONFLICT', 'NOT_FOUND', 'IO'],
  }),
  'convert.validate': channel<ConversionReport>()({
    description: 'Validates a VGG/VIA JSON against its images without writing: classes present/missing, overlaps, polygons outside, layers out of anatomical order (with proposed relabels), missing and unannotated images.',
    request: z.object({ labelsPath: path, imagesDir: path, classesPath: path.optional(), correctionsPath: path.optional() }).strict(),
    errors: ['BAD_INPUT', 'TOO_LARGE', 'CONFLICT', 'NOT_FOUND', 'IO'],
  }),
} as const;
