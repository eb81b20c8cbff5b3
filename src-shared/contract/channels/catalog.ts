import { z } from 'zod';
import { channel } from '../define';
import { SCAN_SORT_KEYS, type CatalogStats, type PatientRecord, type ScanPage, type ScanRecord } from '../../domain/catalog';
import { REVIEW_STATES } from '../../domain/review';
import { LATERALITIES } from '../../domain/laterality';
import type { PatientEyeVisits } from '../../analysis/visit-change';

const scanId = z.number().int().positive();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/, 'an ISO date (YYYY-MM-DD)');

export const scanFilterSchema = z
  .object({
    patientId: z.number().int().positive().optional(),
    patient: z.string().min(1).max(200).optional(),
    eye: z.enum(LATERALITIES).optional(),
    tag: z.string().min(1).max(100).optional(),
    dateFrom: isoDate.optional(),
    dateTo: isoDate.optional(),
    reviewState: z.enum(REVIEW_STATES).optional(),
    text: z.string().max(200).optional(),
    flagged: z.boolean().optional(),
    includeDeleted: z.boolean().optional(),
    trash: z.boolean().optional(),
    offset: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(500).optional(),
    sort: z.enum(SCAN_SORT_KEYS).optional(),
    order: z.enum(['asc', 'desc']).optional(),
  })
  .strict();

export const catalogChannels = {
  'catalog.listScans': channel<ScanPage>()({
    description: 'A page of scans matching the filters (patient, eye, tag, acquisition date range, review state (domain/review.ts), free text, flagged by the quality rules).',
    request: scanFilterSchema,
  }),
  'catalog.getScan': channel<ScanRecord>()({
    description: 'One scan by id (also a soft-deleted one).',
    request: z.object({ scanId }).strict(),
    errors: ['NOT_FOUND'],
  }),
  'catalog.scanImage': channel<{ mime: string; base64: string; width: number; height: number }>()({
    description: "The scan's stored image file from the library, base64-encoded.",
    request: z.object({ scanId }).strict(),
    errors: ['NOT_FOUND', 'IO'],
  }),
  'catalog.listPatients': channel<PatientRecord[]>()({
    description: 'Every patient with the number of (not deleted) scans.',
    request: z.object({}).strict(),
  }),
  'catalog.deleteScan': channel<ScanRecord>()({
    description: 'Soft-deletes a scan (hidden from lists; catalog.restoreScan undoes it).',
    request: z.object({ scanId }).strict(),
    errors: ['NOT_FOUND'],
  }),
  'catalog.restoreScan': channel<ScanRecord>()({
    description: 'Undoes catalog.deleteScan.',
    request: z.object({ scanId }).strict(),
    errors: ['NOT_FOUND'],
  }),
  'catalog.visits': channel<PatientEyeVisits>()({
    description: "Change between visits: the zone thickness of every segmented scan of this scan's patient and eye by acquisition date, with the change from the first visit (same unit only).",
    request: z.object({ scanId }).strict(),
    errors: ['NOT_FOUND'],
  }),
  'catalog.stats': channel<CatalogStats>()({
    description: 'Counts of scans, patients, segmentations, per eye, tag and review state.',
    request: z.object({}).strict(),
  }),
} as const;
