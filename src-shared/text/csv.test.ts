import { describe, expect, it } from 'vitest';
import { csvCell, csvRow } from './csv';

describe('csvCell (OWASP CSV injection)', () => {
  it('neutralises text cells that a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    for (const lead of ['=', '+', '-', '@']) expect(csvCell(`${lead}1+2`)).toBe(`'${lead}1+2`);
    expect(csvCell('\tTAB')).toBe(`'\tTAB`);
    expect(csvCell('\rCR')).toBe(`"'\rCR"`);
  });
  it('keeps numbers numbers, negative ones included, and plain text as it is', () => {
    expect(csvCell(-3.5)).toBe('-3.5');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(true)).toBe('true');
    expect(csvCell('NORMAL1')).toBe('NORMAL1');
    expect(csvCell(null)).toBe('');
  });
  it('drops control characters and quotes what RFC 4180 needs quoted', () => {
    expect(csvCell('P\u00001\u001b[31m\u007f')).toBe('P1[31m');
    expect(csvCell('\u0000=cmd')).toBe(`'=cmd`);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvRow(['x', 1, null, '-y'])).toBe("x,1,,'-y");
  });
});
