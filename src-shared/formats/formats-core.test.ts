import { describe, expect, it } from 'vitest';
import { checkRange, FieldReader, memorySource, readRange } from './binary';
import { fieldsToIso, fileTimeToIso, oleDateToIso } from './dates';
import { e2eFloat16, e2eGreyTable, heidelbergGrey, stretch16 } from './display';
import { FormatError, importFailureCode } from './errors';
import { examUrlFileName, pairImages } from './heidelberg-xml/pairing';
import { jpeg2000Size } from './jpeg2000';
import { withPatient } from './patient';
import { openSeries } from './registry';
import { makeScale } from './series-parts';
import type { OctSeries } from './types';

describe('bounded reads', () => {
  it('refuses a range past the end of the file as truncated, naming file, field and offsets', async () => {
    const source = memorySource('scan.vol', new Uint8Array(100));
    await expect(readRange(source, 90, 20, 'B-scan 0 image')).rejects.toMatchObject({
      code: 'BAD_INPUT',
      problem: 'truncated',
      message: 'scan.vol: B-scan 0 image: needs bytes 90..110 but the file ends at 100 (truncated?)',
    });
    expect(() => checkRange(source, -1, 4, 'x')).toThrow(FormatError);
    expect(() => checkRange(source, 0, Number.MAX_SAFE_INTEGER + 2, 'x')).toThrow(/invalid offset/);
  });

  it('a field read past its block throws instead of returning garbage', () => {
    const r = new FieldReader(new Uint8Array(8), 'f.e2e', 1000, 'container');
    expect(r.u32(4, 'size')).toBe(0);
    expect(() => r.u32(6, 'size')).toThrow('f.e2e: container size: field at offset 1006 runs past the end of the 8-byte block (truncated?)');
  });

  it('maps problems onto the import summary codes', () => {
    expect(importFailureCode(new FormatError('a', 'b', 'c', 'truncated'))).toBe('TRUNCATED');
    expect(importFailureCode(new FormatError('a', 'b', 'c', 'empty'))).toBe('EMPTY_FILE');
    expect(importFailureCode(new FormatError('a', 'b', 'c', 'unsupported'))).toBe('UNSUPPORTED_TYPE');
    expect(new FormatError('a', 'b', 'c', 'too-large').code).toBe('TOO_LARGE');
  });
});

describe('display transforms', () => {
  it('Heidelberg: (log(x + 2.44e-4) + 8.3) / 8.285 clipped to 0..255; sentinel, NaN and negative black', () => {
    expect(heidelbergGrey(1)).toBe(255);
    expect(heidelbergGrey(0.0125)).toBe(Math.round(((Math.log(0.0125 + 2.44e-4) + 8.3) / 8.285) * 255));
    expect(heidelbergGrey(0)).toBe(0);
    expect(heidelbergGrey(3.4028234663852886e38)).toBe(0);
    expect(heidelbergGrey(Number.NaN)).toBe(0);
    expect(heidelbergGrey(5)).toBe(255);
  });

  it('E2E unsigned float16: 10-bit mantissa, 6-bit exponent, bias 63', () => {
    expect(e2eFloat16(63 << 10)).toBe(1);
    expect(e2eFloat16((62 << 10) | 512)).toBe(0.75);
    expect(e2eGreyTable()[63 << 10]).toBe(255);
    expect(e2eGreyTable()).toHaveLength(65536);
  });

  it('stretches raw 16-bit samples between their minimum and maximum', () => {
    expect(Array.from(stretch16(Uint16Array.from([100, 150, 200])))).toEqual([0, 128, 255]);
    expect(Array.from(stretch16(Uint16Array.from([7, 7])))).toEqual([0, 0]);
  });
});

describe('dates', () => {
  it('FILETIME ticks since 1601 to UTC ISO', () => {
    expect(fileTimeToIso(131286184616218310n)).toBe('2017-01-11T14:27:41.621Z');
    expect(fileTimeToIso(0n)).toBeNull();
  });
  it('OLE days since 1899-12-30 to a date', () => {
    expect(oleDateToIso(42746.64105324074)).toBe('2017-01-11');
    expect(oleDateToIso(Number.NaN)).toBeNull();
  });
  it('calendar fields with and without an offset; impossible dates refused', () => {
    expect(fieldsToIso({ year: 2000, month: 1, day: 1, hour: 11, minute: 15, second: 40.046 }, 120)).toBe('2000-01-01T11:15:40+02:00');
    expect(fieldsToIso({ year: 2010, month: 7, day: 9, hour: 9, minute: 23, second: 36 })).toBe('2010-07-09T09:23:36');
    expect(fieldsToIso({ year: 2001, month: 2, day: 31 })).toBeNull();
    expect(fieldsToIso({ year: 0, month: 0, day: 0 })).toBeNull();
  });
});

describe('XML + TIFF pairing rules', () => {
  const listing = ['OCT-Info.xml', 'OCT-Volume-Scan/1-Input.tif', 'OCT-Volume-Scan/2-Input.TIF', 'B1.tif', 'deep/B1.tif', 'NIR1.tif'];
  it('ExamURL: the last component of the Windows path, looked up case-insensitively, shallowest first', () => {
    expect(examUrlFileName('file:///\\\\domain\\folder\\folder\\B1.tif')).toBe('B1.tif');
    const [b1] = pairImages([{ imageNumber: '1', examUrl: 'file:///\\\\srv\\x\\b1.TIF' }], listing);
    expect(b1).toEqual({ path: 'B1.tif', rule: 'ExamURL file name', wanted: 'b1.TIF' });
  });
  it('without ExamURL: <ImageNumber>-Input.tif anywhere in the folder; a missing one is null', () => {
    const paired = pairImages(
      [
        { imageNumber: '2', examUrl: undefined },
        { imageNumber: '0', examUrl: undefined },
      ],
      listing,
    );
    expect(paired.map((p) => p.path)).toEqual(['OCT-Volume-Scan/2-Input.TIF', null]);
    expect(paired[1]).toMatchObject({ rule: '<ImageNumber>-Input.tif', wanted: '0-Input.tif' });
  });
});

describe('JPEG 2000 size from the SIZ marker', () => {
  it('reads width, height and components; refuses a stream without SIZ', () => {
    const siz = new Uint8Array(4 + 38);
    siz.set([0xff, 0x4f, 0xff, 0x51]);
    const view = new DataView(siz.buffer);
    view.setUint32(8, 512);
    view.setUint32(12, 650);
    view.setUint16(40, 1);
    expect(jpeg2000Size(siz)).toEqual({ width: 512, height: 650, components: 1 });
    expect(jpeg2000Size(new Uint8Array([0xff, 0xd8, 0xff]))).toBeNull();
  });
});

describe('scale and patient', () => {
  it('a scale is "file" only when axial and lateral both come from the file; junk values are unknown', () => {
    expect(makeScale({ axial: { um: 3.8717, source: 'a' }, lateral: { um: 11.82, source: 'b' }, betweenBscans: null }).provenance).toBe('file');
    expect(makeScale({ axial: { um: 3.8717, source: 'a' }, lateral: null, betweenBscans: null }).provenance).toBe('partial');
    const junk = makeScale({ axial: { um: Number.NaN, source: 'a' }, lateral: { um: -2, source: 'b' }, betweenBscans: { um: 1e300, source: 'c' } });
    expect(junk).toMatchObject({ axialUm: null, lateralUm: null, betweenBscansUm: null, provenance: 'unknown', sources: {} });
  });

  it('patient fields are readable but not enumerable', () => {
    const series = withPatient({ notes: [] } as unknown as OctSeries, { name: 'Jane Example', birthDate: '1950-02-03', id: '' });
    expect(series.patient).toEqual({ name: 'Jane Example', birthDate: '1950-02-03' });
    expect(JSON.stringify(series)).toBe('{"notes":[]}');
    expect(Object.keys({ ...series })).toEqual(['notes']);
  });
});

describe('registry', () => {
  it('an empty file and an unknown file are refused with the file named', async () => {
    await expect(openSeries({ source: memorySource('empty.fds', new Uint8Array()) })).rejects.toMatchObject({ problem: 'empty', message: 'empty.fds: file: the file is empty (0 bytes)' });
    await expect(openSeries({ source: memorySource('notes.txt', new TextEncoder().encode('hello')) })).rejects.toMatchObject({ problem: 'unknown-format' });
  });

  it('a VOL of an unknown HSF-OCT version is refused naming the version field', async () => {
    const bytes = new Uint8Array(4096);
    bytes.set(new TextEncoder().encode('HSF-OCT-104'));
    await expect(openSeries({ source: memorySource('new.vol', bytes) })).rejects.toMatchObject({
      problem: 'unsupported',
      message: 'new.vol: file header version: unsupported version HSF-OCT-104 (known: HSF-OCT-101, HSF-OCT-102, HSF-OCT-103)',
    });
  });

  it('a Zeiss .img: stated dimensions must match the byte count; an odd size needs them', async () => {
    const bytes = new Uint8Array(2 * 8 * 4);
    await expect(openSeries({ source: memorySource('cube.img', bytes) })).rejects.toMatchObject({ problem: 'needs-input', field: 'dimensions' });
    const series = await openSeries({ source: memorySource('cube.img', bytes), dimensions: { bscans: 2, width: 8, height: 4 } });
    expect([series.bscanCount, series.width, series.height, series.dimensionsSource]).toEqual([2, 8, 4, 'caller']);
    await expect(openSeries({ source: memorySource('cube.img', bytes), dimensions: { bscans: 3, width: 8, height: 4 } })).rejects.toMatchObject({ field: 'stated dimensions' });
  });

  it('a Zeiss .img B-scan is flipped so its last stored row is on top', async () => {
    const bytes = Uint8Array.from([1, 1, 2, 2, 3, 3]);
    const series = await openSeries({ source: memorySource('tiny.img', bytes), dimensions: { bscans: 1, width: 2, height: 3 } });
    expect(Array.from((await series.bscan(0)).pixels)).toEqual([3, 3, 2, 2, 1, 1]);
    await expect(series.bscan(1)).rejects.toMatchObject({ field: 'B-scan index' });
  });
});
