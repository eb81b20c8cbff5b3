import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFailure, probeImage } from './probe';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stratum-probe-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A 24-bit bottom-up BMP of w x h grey pixels. */
function bmp(w: number, h: number): Buffer {
  const stride = Math.ceil((w * 3) / 4) * 4;
  const buf = Buffer.alloc(54 + stride * h, 0x80);
  buf.write('BM', 0, 'ascii');
  buf.writeUInt32LE(buf.length, 2);
  buf.writeUInt32LE(54, 10);
  buf.writeUInt32LE(40, 14);
  buf.writeInt32LE(w, 18);
  buf.writeInt32LE(h, 22);
  buf.writeUInt16LE(1, 26);
  buf.writeUInt16LE(24, 28);
  buf.writeUInt32LE(0, 30);
  return buf;
}

async function probe(name: string, bytes: Buffer | string) {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return probeImage(path);
}

describe('probeImage', () => {
  it('accepts grey PNG, TIFF and BMP by content', async () => {
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#5a5a5a' } }).greyscale().png().toBuffer();
    const tiff = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#808080' } }).tiff().toBuffer();
    for (const [name, bytes, format] of [['g.png', png, 'png'], ['t.tif', tiff, 'tiff'], ['b.bmp', bmp(41, 7), 'bmp']] as const) {
      const r = await probe(name, bytes);
      expect(isFailure(r) ? r : { format: r.format, width: r.width }).toEqual({ format, width: name === 'b.bmp' ? 41 : 40 });
    }
  });

  it('rejects empty, text, truncated and absurdly large images with a code', async () => {
    expect(await probe('e.png', '')).toMatchObject({ code: 'EMPTY_FILE' });
    expect(await probe('t.png', 'not an image')).toMatchObject({ code: 'UNREADABLE_IMAGE' });
    expect(await probe('cut.bmp', bmp(50, 50).subarray(0, 500))).toMatchObject({ code: 'TRUNCATED' });
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(10_000, 0);
    ihdr.writeUInt32BE(6_000, 4);
    ihdr[8] = 8; // bit depth
    ihdr[9] = 0; // grey
    const huge = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(100))), chunk('IEND', Buffer.alloc(0))]);
    expect(await probe('huge.png', huge)).toMatchObject({ code: 'TOO_LARGE' });
  });

  it('names the kind of file that is not a regular file (a FIFO, a folder)', async () => {
    const pipe = join(dir, 'scan.fifo');
    execFileSync('mkfifo', [pipe]);
    expect(await probeImage(pipe)).toMatchObject({ code: 'UNREADABLE_FILE', message: 'The file is a named pipe (FIFO), not a regular file' });
    mkdirSync(join(dir, 'scan.png'));
    expect(await probeImage(join(dir, 'scan.png'))).toMatchObject({ code: 'UNREADABLE_FILE', message: 'The file is a folder, not a regular file' });
  });
});
