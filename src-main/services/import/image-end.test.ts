import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { sharedData } from '../../../test-support/shared-data';
import { imageByteLength, storedImageBytes } from './image-end';

const JUNK = Buffer.from('\xff\xd9 trailing \xff\xd8 junk', 'latin1');

describe('imageByteLength', () => {
  it('finds the end of a real JPEG, of progressive ones (many scans) and past restart markers and fill bytes', async () => {
    const real = readFileSync(sharedData('octid-unannotated', 'NORMAL', 'NORMAL26.jpeg'));
    const progressive = await sharp(real).jpeg({ progressive: true }).toBuffer();
    const grey = await sharp(real).greyscale().jpeg({ quality: 40, optimiseCoding: true }).toBuffer();
    // restart markers (FF D0-D7) and fill bytes (FF FF ..) inside the entropy-coded data are not the end
    const sos = real.indexOf(Buffer.from([0xff, 0xda]));
    const middle = sos + Math.floor((real.length - sos) / 2);
    const withRst = Buffer.concat([real.subarray(0, middle), Buffer.from([0xff, 0xd3, 0xff, 0xff, 0xd4]), real.subarray(middle)]);
    for (const jpeg of [real, progressive, grey, withRst]) {
      expect(imageByteLength(jpeg)).toBe(jpeg.length);
      expect(imageByteLength(Buffer.concat([jpeg, JUNK]))).toBe(jpeg.length);
    }
  });

  it('finds the end of a PNG after its IEND chunk', async () => {
    const png = await sharp({ create: { width: 20, height: 10, channels: 3, background: '#404040' } }).png().toBuffer();
    expect(storedImageBytes(Buffer.concat([png, JUNK]))).toEqual({ bytes: png, trailingBytes: JUNK.length });
  });

  it('gives up (null: the file is kept whole and the decoder judges it) on a cut file or another format', async () => {
    const real = readFileSync(sharedData('octid-unannotated', 'NORMAL', 'NORMAL26.jpeg'));
    expect(imageByteLength(real.subarray(0, real.length - 100))).toBeNull();
    const tiff = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } }).tiff().toBuffer();
    expect(imageByteLength(tiff)).toBeNull();
    expect(storedImageBytes(tiff)).toEqual({ bytes: tiff, trailingBytes: 0 });
  });
});
