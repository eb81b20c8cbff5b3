import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../../src-shared/formats/errors';
import { summariseSeries } from '../../../src-shared/formats/summary';
import { haveSharedData, sharedData } from '../../../test-support/shared-data';
import { FORMAT_FIXTURES, fixturePath } from '../../../test/hostile/formats-fixtures';
import { detectFileFormat, openSeriesFile } from './open-series-file';

const have = haveSharedData('formats');

function stats(pixels: Uint8Array): { mean: number; sd: number; nonZero: number } {
  let sum = 0;
  let sq = 0;
  let nonZero = 0;
  for (const p of pixels) {
    sum += p;
    sq += p * p;
    if (p) nonZero++;
  }
  const mean = sum / pixels.length;
  return { mean, sd: Math.sqrt(sq / pixels.length - mean * mean), nonZero };
}

describe.skipIf(!have)('vendor OCT readers on the real fixtures', () => {
  for (const [label, fx] of Object.entries(FORMAT_FIXTURES)) {
    it(`${label}: ${fx.parts.at(-1)} opens as ${fx.format} ${fx.kind} with ${fx.bscans} B-scans of ${fx.width} x ${fx.height}`, async () => {
      expect((await detectFileFormat(fixturePath(fx)))?.id).toBe(fx.format);
      const { series, close } = await openSeriesFile(fixturePath(fx));
      try {
        expect([series.format, series.kind, series.bscanCount, series.width, series.height]).toEqual([fx.format, fx.kind, fx.bscans, fx.width, fx.height]);
        expect(series.bscanMeta).toHaveLength(fx.bscans);
        expect(series.scale.axialUm).toEqual(fx.axialUm === null ? null : expect.closeTo(fx.axialUm, 3));
        expect(series.scale.lateralUm).toEqual(fx.lateralUm === null ? null : expect.closeTo(fx.lateralUm, 3));
        if (fx.betweenUm === null) expect(series.scale.betweenBscansUm).toBeNull();
        else expect(series.scale.betweenBscansUm).toBeCloseTo(fx.betweenUm, 1);
        expect(series.scale.provenance).toBe(fx.axialUm !== null && fx.lateralUm !== null ? 'file' : fx.axialUm !== null || fx.lateralUm !== null ? 'partial' : 'unknown');
        expect(series.eye?.value ?? null).toBe(fx.eye);
        if (fx.eye) expect(series.eye?.source).toBe('file');
        expect(series.deviceBoundaries?.names ?? []).toEqual(fx.lines);
        if (fx.lines.length) expect(series.deviceBoundaries?.bscanCount).toBe(fx.linesCover ?? fx.bscans);
        if (fx.localizer) {
          expect([series.localizer?.width, series.localizer?.height]).toEqual([fx.localizer.width, fx.localizer.height]);
          expect(series.localizer?.missing === undefined).toBe(fx.localizer.present);
        } else expect(series.localizer).toBeNull();

        // Pixels: every B-scan of a small series, first and last of a large one.
        const indices = fx.bscans <= 10 ? [...Array(fx.bscans).keys()] : [0, fx.bscans - 1];
        for (const i of indices) {
          const image = await series.bscan(i);
          expect([image.width, image.height, image.pixels.length]).toEqual([fx.width, fx.height, fx.width * fx.height]);
          const s = stats(image.pixels);
          expect(s.nonZero).toBeGreaterThan(0);
          if (fx.real) {
            // A real B-scan: mostly dark with a bright retina, never flat.
            expect(s.mean).toBeGreaterThan(8);
            expect(s.mean).toBeLessThan(120);
            expect(s.sd).toBeGreaterThan(10);
          }
        }
        if (fx.localizer?.present) {
          const image = await series.localizer!.read();
          expect([image.width, image.height]).toEqual([fx.localizer.width, fx.localizer.height]);
          expect(stats(image.pixels).nonZero).toBeGreaterThan(0);
        }
      } finally {
        await close();
      }
    });
  }

  it('the Spectralis line scan: the device ILM lies above BM, both within the B-scan, 3.4e38 read as missing', async () => {
    const { series, close } = await openSeriesFile(fixturePath(FORMAT_FIXTURES.volLine!));
    try {
      const lines = await series.deviceBoundaries!.read(0);
      const ilm = lines.ILM!;
      const bm = lines.BM!;
      const both = [...ilm.keys()].filter((x) => Number.isFinite(ilm[x]!) && Number.isFinite(bm[x]!));
      expect(both.length).toBeGreaterThan(600);
      for (const x of both) expect(bm[x]!).toBeGreaterThan(ilm[x]!);
      expect(Math.min(...both.map((x) => ilm[x]!))).toBeGreaterThan(20);
      expect(Math.max(...both.map((x) => bm[x]!))).toBeLessThan(200);
      expect(ilm.filter(Number.isNaN).length).toBe(768 - 759); // the file marks 9 A-scans invalid
      expect(series.acquired).toMatch(/^2017-01-11T14:27:41/);
      expect(series.bscanMeta[0]?.geometry).toMatchObject({ type: 'line', start: { x: 0, y: expect.closeTo(4.539, 2) }, end: { x: expect.closeTo(9.078, 2) } });
    } finally {
      await close();
    }
  });

  it('the circle scan: the B-scan geometry is a circle whose circumference matches its width x scale_x', async () => {
    const { series, close } = await openSeriesFile(fixturePath(FORMAT_FIXTURES.volCircle!));
    try {
      const g = series.bscanMeta[0]?.geometry;
      expect(g?.type).toBe('circle');
      if (g?.type !== 'circle') return;
      expect(2 * Math.PI * g.radius * 1000).toBeCloseTo(768 * series.scale.lateralUm!, -2);
    } finally {
      await close();
    }
  });

  it('the XML volume: B-scans paired by <ImageNumber>-Input.tif, 30 µm apart, the missing localizer said so', async () => {
    const { series, close } = await openSeriesFile(sharedData('formats', 'heyex-xml-volume'));
    try {
      expect(series.pairing?.rule).toBe('<ImageNumber>-Input.tif');
      expect(series.pairing?.detail).toMatch(/145 B-scans .* OCT-Volume-Scan\/; localizer: no 0-Input\.tif/);
      await expect(series.localizer!.read()).rejects.toMatchObject({ code: 'BAD_INPUT', problem: 'missing-file' });
      expect(series.bscanMeta[0]?.geometry).toMatchObject({ type: 'line', start: { x: 1.431, y: 6.441 }, end: { x: 7.157, y: 6.441 } });
      expect(series.bscanMeta[0]?.quality).toBe(29);
    } finally {
      await close();
    }
  });

  it('the eyepy XML export: ExamURL Windows paths resolved by file name in the folder; SegLine values with 3e38 as missing', async () => {
    const { series, close } = await openSeriesFile(fixturePath(FORMAT_FIXTURES.xmlEyepy!));
    try {
      expect(series.pairing?.rule).toBe('ExamURL file name');
      expect(series.pairing?.detail).toContain('localizer NIR1.tif');
      const lines = await series.deviceBoundaries!.read(0);
      expect(Array.from(lines.ILM!.slice(0, 4))).toEqual([NaN, NaN, expect.closeTo(9.6, 3), expect.closeTo(9.6, 3)]);
      expect(series.acquired).toBe('2000-01-01T11:15:40+02:00');
      expect(series.device).toBe('Heidelberg Engineering Spectralis');
    } finally {
      await close();
    }
  });

  it('patient fields are kept for the catalog but never serialised, inspected or summarised', async () => {
    for (const fx of [FORMAT_FIXTURES.volLine!, FORMAT_FIXTURES.xmlEyepy!, FORMAT_FIXTURES.fda!]) {
      const { series, close } = await openSeriesFile(fixturePath(fx));
      try {
        const patient = series.patient;
        expect(patient && Object.keys(patient).length).toBeTruthy();
        // (The synthetic XML's birth date equals its exam date, which is not a patient field.)
        const values = Object.values(patient ?? {}).filter((v) => v.length >= 3 && !series.acquired?.startsWith(v));
        const outputs = [JSON.stringify(series), inspect(series, { depth: 5 }), JSON.stringify(summariseSeries(series)), JSON.stringify({ ...series })];
        for (const out of outputs) for (const v of values) expect(out).not.toContain(v);
      } finally {
        await close();
      }
    }
  });

  it('the 0-byte corrupt.fds is refused as empty, naming the file', async () => {
    const path = sharedData('formats', 'panimg', 'tests', 'resources', 'oct', 'corrupt.fds');
    const error = await openSeriesFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FormatError);
    expect(error).toMatchObject({ code: 'BAD_INPUT', problem: 'empty', file: path });
    expect((error as Error).message).toContain('corrupt.fds');
  });

  it('a plain image is not a vendor format', async () => {
    expect(await detectFileFormat(sharedData('octid-unannotated', 'NORMAL', 'NORMAL26.jpeg'))).toBeNull();
  });
});
