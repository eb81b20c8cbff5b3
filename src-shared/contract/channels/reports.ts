import { z } from 'zod';
import { channel } from '../define';
import { scanFilterSchema } from './catalog';

const scanId = z.number().int().positive();
const paper = z.enum(['a4', 'letter']);
const absolutePath = z.string().min(1).max(4096).regex(/^(\/|[A-Za-z]:[\\/]|\\\\)/, 'an absolute path');

export const reportChannels = {
  'reports.exportScan': channel<{ path: string }>()({
    description: "Writes one scan's layer report (PDF or PNG) to `path` (default: the data folder's reports/); returns the path.",
    request: z.object({ scanId, format: z.enum(['pdf', 'png']), path: absolutePath.optional(), paper: paper.optional() }).strict(),
    errors: ['NOT_FOUND', 'BAD_INPUT', 'IO'],
  }),
  'reports.batch': channel<{ jobId: string }>()({
    description:
      'Starts a job that writes one PDF per scan, or one combined PDF, into `outDir` (default: a new folder under reports/). ' +
      'The job result is {files, failed}.',
    request: z
      .object({ scanIds: z.array(scanId).min(1).max(5000), combined: z.boolean(), outDir: absolutePath.optional(), paper: paper.optional() })
      .strict(),
    errors: ['BAD_INPUT', 'IO'],
  }),
  'reports.exportCsv': channel<{ path: string; rows: number; scans: number; skipped: number[] }>()({
    description:
      'Writes the thickness summaries of the scans matching `filter` as CSV or JSON: one row per scan x zone x layer, ' +
      'unit in its own column; scans without a summarised segmentation are skipped and listed. Text cells that a ' +
      'spreadsheet would run as a formula are neutralised; the file is written whole (temp file + rename) or not at all.',
    request: z
      .object({ filter: scanFilterSchema.optional(), format: z.enum(['csv', 'json']).optional(), path: absolutePath.optional() })
      .strict(),
    errors: ['BAD_INPUT', 'IO'],
  }),
} as const;
