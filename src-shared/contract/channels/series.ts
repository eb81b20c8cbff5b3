import { z } from 'zod';
import { channel } from '../define';
import type { DeviceBoundaryLines, SeriesRecord } from '../../domain/series';

const scanId = z.number().int().positive();
const bscanIndex = z.number().int().min(0).max(100_000);

/** An image from the library, base64, as the viewer draws it. */
export interface StoredImage {
  mime: string;
  base64: string;
  width: number;
  height: number;
}

export const seriesChannels = {
  'series.get': channel<SeriesRecord>()({
    description:
      "A scan as a series (domain/series.ts): its kind, every B-scan's size and position on the localizer (start/end or centre and radius, mm), the localizer's size and scale, what the file said (format, spacing between B-scans, pairing rule, notes) and its device segmentation (kind 'device', boundary names). A plain image is a 'single' series of one B-scan.",
    request: z.object({ scanId }).strict(),
    errors: ['NOT_FOUND'],
  }),
  'series.bscanImage': channel<StoredImage>()({
    description: 'One B-scan of a series as stored (lossless grey PNG for a vendor file; the image itself for a plain image).',
    request: z.object({ scanId, index: bscanIndex }).strict(),
    errors: ['NOT_FOUND', 'IO'],
  }),
  'series.localizerImage': channel<StoredImage>()({
    description: "The series' localizer (fundus / SLO) image; NOT_FOUND when the file had none or only described it.",
    request: z.object({ scanId }).strict(),
    errors: ['NOT_FOUND', 'IO'],
  }),
  'series.thumbnail': channel<StoredImage & { what: 'localizer' | 'bscan' }>()({
    description: "What the catalog card shows for a series: its localizer, else its middle B-scan.",
    request: z.object({ scanId }).strict(),
    errors: ['NOT_FOUND', 'IO'],
  }),
  'series.deviceLines': channel<DeviceBoundaryLines | null>()({
    description: "One B-scan's device boundaries (the device's own segmentation from the file: rows per A-scan, null where it marked none), or null when it has none.",
    request: z.object({ scanId, bscanIndex }).strict(),
    errors: ['NOT_FOUND'],
  }),
} as const;
