import { describe, expect, it } from 'vitest';
import type { AnyJobProgress } from '../../src-shared/contract/channels/jobs';
import { outcomeOf, resultLine } from './job-summary';

const base = { jobId: 'j', title: 't', fraction: 1, stage: 'Done', startedAt: '2026-01-01T00:00:00Z' };
const importJob = (failed: number, duplicates: number): AnyJobProgress => ({
  ...base, kind: 'import', state: 'done',
  result: {
    source: '/x', found: 4, imported: 0, restored: 0, duplicates, duplicateFiles: [], skipped: [], notices: [], scanIds: [], missingScale: 0, unknownEye: 0,
    perPatient: {}, perTag: {}, files: [], failed: Array.from({ length: failed }, (_, i) => ({ path: `/x/${i}`, code: 'EMPTY_FILE' as const, message: 'empty' })),
  },
});

describe('job outcome and result line', () => {
  it('an import with 0 new and 4 failed is done with failures, not plain done', () => {
    expect(outcomeOf(importJob(4, 0))).toBe('done-with-failures');
    expect(outcomeOf(importJob(0, 1))).toBe('done');
    expect(outcomeOf({ ...importJob(4, 0), state: 'cancelled' })).toBe('cancelled');
  });
  it('counts in words: 1 duplicate, 10 scans', () => {
    expect(resultLine(importJob(0, 1))).toBe('0 new, 1 duplicate');
    expect(resultLine(importJob(2, 3))).toBe('0 new, 3 duplicates, 2 failed');
    const batch: AnyJobProgress = { ...base, kind: 'reports.batch', state: 'done', result: { files: ['/r.pdf'], failed: Array.from({ length: 10 }, (_, i) => ({ scanId: i + 1, message: 'x' })) } };
    expect(resultLine(batch)).toBe('1 file written, 10 scans skipped (not segmented)');
    expect(outcomeOf(batch)).toBe('done-with-failures');
  });
});
