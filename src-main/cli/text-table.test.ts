import { describe, expect, it } from 'vitest';
import { count, formatTable } from './text-table';

describe('text output', () => {
  it('aligns columns under a header row', () => {
    expect(formatTable(['ID', 'EYE', 'FILE'], [['1', 'OD', '/a.jpeg'], ['120', 'unknown', '/b c.jpeg']])).toBe(
      'ID   EYE      FILE\n1    OD       /a.jpeg\n120  unknown  /b c.jpeg\n',
    );
  });

  it('counts nouns: "1 duplicate", "10 scans", never "scan(s)"', () => {
    expect(count(1, 'duplicate')).toBe('1 duplicate');
    expect(count(0, 'duplicate')).toBe('0 duplicates');
    expect(count(10, 'scan')).toBe('10 scans');
    expect(count(2, 'is', 'are')).toBe('2 are');
  });
});
