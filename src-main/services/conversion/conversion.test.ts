import { Command, CommanderError } from 'commander';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { haveSharedData, sharedData } from '../../../test-support/shared-data';
import { AppError } from '../../../src-shared/contract';
import { builtInClassDictionary, parseClassDictionary } from '../../../src-shared/annotations/classes';
import { detectGreyEncoding, SEED_GREY_VALUES } from '../../../src-shared/annotations/grey-encoding';
import { parseVgg } from '../../../src-shared/annotations/vgg';
import { registerConvert } from '../../cli/commands/convert';
import { convertCoco, convertVgg } from './annotations-to-masks';
import { convertGreyMasks } from './grey-masks';
import { masksToVgg } from './masks-to-vgg';
import { readMaskFile } from './mask-io';

const DATA = sharedData('octid-deepeye');
const HAVE_DATA = haveSharedData('octid-deepeye');
const IMAGES = join(DATA, 'images');
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'stratum-convert-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const fmt = (a: { min: number; mean: number }) => `min ${(a.min * 100).toFixed(3)} %, mean ${(a.mean * 100).toFixed(3)} %`;

function expectBadInput(fn: () => unknown, ...fragments: string[]): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('BAD_INPUT');
    for (const f of fragments) expect((error as AppError).message).toContain(f);
    return;
  }
  throw new Error('expected BAD_INPUT');
}

describe('class dictionary', () => {
  it('maps the spellings seen in real exports', () => {
    const d = builtInClassDictionary();
    for (const [label, index] of [['Elipsoid Zone', 6], ['EllipsoidZone', 6], ['Ellipsoid Zone', 6], ['EZ', 6], ['CHR', 8], ['Choroid', 8], ['GCL+IPL', 2], ['nfl', 1]] as const) {
      expect(d.map.get(label.toLowerCase().replace(/[\s_-]+/g, '')), label).toBe(index);
    }
  });
  it('is overridable by a class file, and rejects bad ones by name', () => {
    const d = parseClassDictionary(JSON.stringify({ classes: { Choroid: ['Aderhaut'], '6': ['IS-OS junction'] } }), 'my.json');
    expect(d.map.get('aderhaut')).toBe(8);
    expect(d.map.get('isosjunction')).toBe(6);
    expect(d.map.get('nfl')).toBe(1);
    const only = parseClassDictionary(JSON.stringify({ replace: true, classes: { NFL: ['A'] } }), 'r.json');
    expect(only.map.get('rpe')).toBeUndefined();
    expectBadInput(() => parseClassDictionary('{"classes": {"Sclera": ["x"]}}', 'bad.json'), 'bad.json', 'Sclera');
    expectBadInput(() => parseClassDictionary('nope', 'n.json'), 'n.json', 'not JSON');
  });
});

describe('VGG parsing errors name the file and the entry', () => {
  const dict = builtInClassDictionary();
  it('empty {} export', () => expectBadInput(() => parseVgg('{}', 'labels.json', dict), 'labels.json', 'empty'));
  it('non-JSON', () => expectBadInput(() => parseVgg('<html>', 'labels.json', dict), 'labels.json', 'not JSON'));
  it('region without all_points_x/y', () => {
    const text = JSON.stringify({ 'a.jpeg': { filename: 'a.jpeg', regions: [{ shape_attributes: { name: 'polygon', all_points_x: [1, 2, 3] }, region_attributes: { label: 'NFL' } }] } });
    expectBadInput(() => parseVgg(text, 'labels.json', dict), 'labels.json', '"a.jpeg" region 0', 'all_points_x/all_points_y');
  });
  it('unknown label lists the labels found and the dictionary', () => {
    const poly = (label: string) => ({ shape_attributes: { name: 'polygon', all_points_x: [0, 5, 5], all_points_y: [0, 0, 5] }, region_attributes: { label } });
    const text = JSON.stringify({ 'a.jpeg': { filename: 'a.jpeg', regions: { '0': poly('NFL'), '1': poly('Vitreous') } } });
    expectBadInput(() => parseVgg(text, 'labels.json', dict), 'labels.json', '"Vitreous"', '"a.jpeg" region 1', 'Labels found: NFL, Vitreous', 'Dictionary in use (built-in)');
  });
  it('regions as an array and as an object give the same polygons', () => {
    const p = { shape_attributes: { name: 'polygon', all_points_x: [0, 5, 5], all_points_y: [0, 0, 5] }, region_attributes: { label: 'RPE' } };
    const a = parseVgg(JSON.stringify({ x: { filename: 'x.png', regions: [p, p] } }), 'a', dict);
    const b = parseVgg(JSON.stringify({ x: { filename: 'x.png', regions: { '0': p, '1': p } } }), 'b', dict);
    expect(a[0]!.polygons.map((q) => q.classIndex)).toEqual([7, 7]);
    expect(b[0]!.polygons).toHaveLength(2);
  });
});

describe('grey encoding detection', () => {
  const all = new Set(SEED_GREY_VALUES.map(([g]) => g));
  it('decodes the full set and subsets that keep ONL = 255', () => {
    const full = detectGreyEncoding(all);
    expect(full.ok && [...[0, 23, 34, 57, 104, 150, 173, 197, 255]].map((g) => full.lut[g])).toEqual([0, 4, 7, 2, 6, 1, 8, 3, 5]);
    expect(detectGreyEncoding(new Set([0, 23, 57, 104, 150, 173, 197, 255])).ok).toBe(true);
  });
  it('re-stretched masks (no ONL) decode when unambiguous', () => {
    const noOnl = new Set([0, 23, 34, 57, 104, 150, 173, 197].map((g) => Math.round((g * 255) / 197)));
    const r = detectGreyEncoding(noOnl);
    expect(r.ok).toBe(true);
    expect(r.ok && r.lut[255]).toBe(3); // INL is then the brightest
  });
  it('refuses with a reason when ambiguous or foreign', () => {
    const amb = detectGreyEncoding(new Set([0, 255]));
    expect(amb.ok).toBe(false);
    expect(!amb.ok && amb.reason).toMatch(/ambiguous/);
    expect(detectGreyEncoding(new Set([0, 1, 2, 3])).ok).toBe(false);
    expect(detectGreyEncoding(new Set([0, 128])).ok).toBe(false);
  });
});

describe.runIf(HAVE_DATA)('conversions of the shared DeepEye data', () => {
  let vggOut: string;
  beforeAll(async () => {
    vggOut = join(tmp, 'vgg');
    const r = await convertVgg({ labelsPath: join(DATA, 'labels-vgg.json'), imagesDir: IMAGES, outDir: vggOut, preview: true });
    expect(r.masksWritten).toBe(80);
    expect(r.imagesMissing).toEqual([]);
    expect(r.imagesWithoutAnnotation).toEqual([]);
  });

  it('writes single-channel class-index masks of the image size, and previews', async () => {
    const m = await readMaskFile(join(vggOut, 'NORMAL1.png'));
    expect([m.width, m.height]).toEqual([750, 500]);
    expect(m.data.reduce((a, b) => Math.max(a, b), 0)).toBe(8);
    expect(existsSync(join(vggOut, 'preview', 'NORMAL1.png'))).toBe(true);
  });

  it('the grey masks decode to the same classes', async () => {
    const r = await convertGreyMasks({ inDir: join(DATA, 'masks-seed-encoding'), outDir: join(tmp, 'grey'), compareDir: vggOut });
    console.log(`grey masks vs VGG masks: ${fmt(r.agreement!)} (${r.decoded} decoded, ${r.refused} refused)`);
    expect(r.refused).toBe(0);
    expect(r.agreement!.compared).toBe(80);
    expect(r.agreement!.min).toBeGreaterThanOrEqual(0.995);
  });

  it('the COCO files decode to the same classes', async () => {
    const coco = ['final11-20c', 'final21-30c', 'final31-40c', 'final41-50c', 'final51-60c', 'final61-70c'].map((f) => join(DATA, 'coco', `${f}.json`));
    const r = await convertCoco({ cocoPaths: coco, imagesDir: IMAGES, outDir: join(tmp, 'coco'), compareDir: vggOut });
    console.log(`COCO vs VGG masks: ${fmt(r.agreement!)} (${r.masksWritten} masks)`);
    expect(r.masksWritten).toBe(60);
    expect(r.agreement!.min).toBeGreaterThanOrEqual(0.995);
  });

  it('round trip masks -> VGG JSON -> masks keeps >= 98 % of pixels', async () => {
    const json = join(tmp, 'roundtrip.json');
    const r = await masksToVgg({ masksDir: vggOut, out: json });
    const back = await convertVgg({ labelsPath: json, imagesDir: IMAGES, outDir: join(tmp, 'rt'), compareDir: vggOut });
    console.log(`round trip: traced ${fmt(r.roundTrip)}; re-converted from the JSON ${fmt(back.agreement!)}`);
    expect(back.agreement!.compared).toBe(80);
    expect(back.agreement!.min).toBeGreaterThanOrEqual(0.98);
    expect(r.roundTrip.min).toBeGreaterThanOrEqual(0.98);
  });

  it('the second annotator file converts with its own spellings and agrees with its grey masks', async () => {
    const out = join(tmp, 'second');
    const r = await convertVgg({ labelsPath: join(DATA, 'second-annotator/labels-vgg.json'), imagesDir: IMAGES, outDir: out });
    expect(r.masksWritten).toBe(9);
    for (const img of r.images) expect(img.classesMissing).toEqual([8]); // no choroid in this file
    const g = await convertGreyMasks({ inDir: join(DATA, 'second-annotator/masks-seed-encoding'), outDir: join(tmp, 'second-grey'), compareDir: out });
    console.log(`second annotator grey masks vs VGG masks: ${fmt(g.agreement!)}`);
    expect(g.agreement!.min).toBeGreaterThanOrEqual(0.995);
  });

  it('reports images listed but missing on disk, and polygons outside the image', async () => {
    const poly = { shape_attributes: { name: 'polygon', all_points_x: [-10, 800, 800, -10], all_points_y: [10, 10, 20, 20] }, region_attributes: { label: 'RPE' } };
    const labels = join(tmp, 'partial.json');
    writeFileSync(labels, JSON.stringify({ 'NORMAL1.jpeg': { filename: 'NORMAL1.jpeg', regions: [poly] }, 'GONE.jpeg': { filename: 'GONE.jpeg', regions: [poly] } }));
    const r = await convertVgg({ labelsPath: labels, imagesDir: IMAGES });
    expect(r.imagesMissing).toEqual(['GONE.jpeg']);
    expect(r.images[0]!.outside).toHaveLength(1);
    expect(r.images[0]!.classesPresent).toEqual([0, 7]);
    expect(r.imagesWithoutAnnotation).toHaveLength(79);
  });
});

describe('CLI: convert', () => {
  let stderr: string;
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });
  async function cli(...args: string[]): Promise<number | undefined> {
    stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const program = new Command('stratum').exitOverride();
    program.configureOutput({ writeErr: (s) => (stderr += s), writeOut: () => undefined });
    registerConvert(program);
    process.exitCode = undefined;
    await program.parseAsync(['node', 'stratum', ...args]);
    const code = process.exitCode;
    process.exitCode = undefined;
    return code === undefined ? undefined : Number(code);
  }

  it('an empty export fails with a clear message and exit 1', async () => {
    const empty = join(tmp, 'empty.json');
    writeFileSync(empty, '{}');
    expect(await cli('convert', 'vgg', empty, '--images', tmp, '--out', join(tmp, 'x'))).toBe(1);
    expect(stderr).toContain(`${empty}: the export is empty`);
  });

  it.runIf(HAVE_DATA)('an unknown label fails with a clear message and exit 1', async () => {
    const unk = join(tmp, 'unknown.json');
    writeFileSync(unk, readFileSync(join(DATA, 'labels-vgg.json'), 'utf8').replaceAll('"CHR"', '"Sclera"'));
    expect(await cli('convert', 'vgg', unk, '--images', IMAGES, '--out', join(tmp, 'x'))).toBe(1);
    expect(stderr).toContain('unknown label "Sclera"');
    expect(stderr).toContain('Labels found:');
  });

  it('a missing required option is a usage error', async () => {
    await expect(cli('convert', 'vgg', 'x.json')).rejects.toBeInstanceOf(CommanderError);
  });
});
