import { describe, expect, it } from 'vitest';
import { eyeSourceRank, inferEye } from './infer';

describe('inferEye', () => {
  const marker = { nasalSide: 'left' as const, confidence: 0.97 };
  const anatomy = { nasalSide: 'right' as const, confidence: 0.6 };

  it('takes the strongest evidence: file, user, manifest, marker, anatomy', () => {
    expect(inferEye({ file: 'OD', user: 'OS', manifest: 'OS', marker, anatomy })).toEqual({ value: 'OD', source: 'file', confidence: 1 });
    expect(inferEye({ user: 'OS', manifest: 'OD', marker, anatomy })).toEqual({ value: 'OS', source: 'user', confidence: 1 });
    expect(inferEye({ manifest: 'OD', marker, anatomy })).toEqual({ value: 'OD', source: 'manifest', confidence: 1 });
    expect(inferEye({ marker, anatomy })).toEqual({ value: 'OS', source: 'marker', confidence: 0.97 });
    expect(inferEye({ anatomy })).toEqual({ value: 'OD', source: 'anatomy', confidence: 0.6 });
  });

  it('skips a stated "unknown" and ends at unknown with no source', () => {
    expect(inferEye({ file: 'unknown', manifest: 'unknown', anatomy })).toEqual({ value: 'OD', source: 'anatomy', confidence: 0.6 });
    expect(inferEye({ file: 'unknown', marker: null, anatomy: null })).toEqual({ value: 'unknown', source: null, confidence: null });
    expect(inferEye({})).toEqual({ value: 'unknown', source: null, confidence: null });
  });

  it('maps nasal right to OD and nasal left to OS', () => {
    expect(inferEye({ marker: { nasalSide: 'right', confidence: 1 } }).value).toBe('OD');
    expect(inferEye({ marker: { nasalSide: 'left', confidence: 1 } }).value).toBe('OS');
  });

  it('ranks sources in the same order', () => {
    const ranks = (['file', 'user', 'manifest', 'marker', 'anatomy', null] as const).map(eyeSourceRank);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
  });
});
