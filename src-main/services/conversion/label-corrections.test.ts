import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/contract';
import { builtInClassDictionary } from '../../../src-shared/annotations/classes';
import { convertVgg, readVggWithCorrections } from './annotations-to-masks';
import { readMaskFile } from './mask-io';

const DATA = join(__dirname, '../../../../shared/data/octid-deepeye');
const LABELS = join(DATA, 'labels-vgg.json');
const IMAGES = join(DATA, 'images');
/** The reviewed file the training pipeline applies (training/label-corrections/). */
const COMMITTED = join(__dirname, '../../../training/label-corrections/octid-deepeye.json');
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'stratum-corrections-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const key = (c: { file: string; region: number; from: string; to: string }) => `${c.file}#${c.region}:${c.from}->${c.to}`;

function badInput(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('BAD_INPUT');
    return error as AppError;
  }
  throw new Error('expected BAD_INPUT');
}

describe('label corrections on the real DeepEye labels', () => {
  it('the audit proposes exactly the reviewed corrections the training applies', async () => {
    const proposed = join(tmp, 'proposed.json');
    const r = await convertVgg({ labelsPath: LABELS, imagesDir: IMAGES, proposeCorrectionsPath: proposed });
    const outOfOrder = r.images.filter((i) => i.layerOrder.length > 0).map((i) => i.image);
    expect(outOfOrder).toEqual(['NORMAL102.jpeg', 'NORMAL118.jpeg', 'NORMAL119.jpeg', 'NORMAL124.jpeg', 'NORMAL125.jpeg', 'NORMAL133.jpeg', 'NORMAL157.jpeg']);
    const mine = JSON.parse(readFileSync(proposed, 'utf8')) as { source: { sha256: string }; corrections: { file: string; region: number; from: string; to: string }[] };
    const committed = JSON.parse(readFileSync(COMMITTED, 'utf8')) as typeof mine;
    expect(mine.source.sha256).toBe(committed.source.sha256);
    expect(mine.corrections.map(key)).toEqual(committed.corrections.map(key));
  });

  it('applied, they leave every image in anatomical order and restore the missing layers', async () => {
    const out = join(tmp, 'masks');
    const r = await convertVgg({ labelsPath: LABELS, imagesDir: IMAGES, outDir: out, correctionsPath: COMMITTED });
    expect(r.corrections).toEqual({ file: COMMITTED, applied: 10 });
    expect(r.images.flatMap((i) => i.layerOrder)).toEqual([]);
    for (const name of ['NORMAL102', 'NORMAL118', 'NORMAL125', 'NORMAL157']) {
      const img = r.images.find((i) => i.image === `${name}.jpeg`)!;
      expect(img.classesMissing, name).toEqual([]);
    }
    // The top band of NORMAL118 is nerve fibre layer now, not choroid.
    const mask = await readMaskFile(join(out, 'NORMAL118.png'));
    const column = 100;
    let top = 0;
    for (let y = 0; y < mask.height; y++) if (mask.data[y * mask.width + column]) { top = mask.data[y * mask.width + column]!; break; }
    expect(top).toBe(1);
  });

  it('refuses a corrections file made for another labels file, or one whose expected label does not match', () => {
    const dict = builtInClassDictionary();
    const doc = JSON.parse(readFileSync(COMMITTED, 'utf8')) as { source: { sha256: string }; corrections: { from: string }[] };
    const otherFile = join(tmp, 'other.json');
    writeFileSync(otherFile, JSON.stringify({ ...doc, source: { ...doc.source, sha256: '0'.repeat(64) } }));
    expect(badInput(() => readVggWithCorrections(LABELS, dict, otherFile)).message).toContain('different annotation file');
    const stale = join(tmp, 'stale.json');
    doc.corrections[0]!.from = 'ONL';
    writeFileSync(stale, JSON.stringify(doc));
    expect(badInput(() => readVggWithCorrections(LABELS, dict, stale)).message).toContain('"NORMAL102.jpeg" region 11 expects ONL');
    const broken = join(tmp, 'broken.json');
    writeFileSync(broken, '{"source": ');
    expect(badInput(() => readVggWithCorrections(LABELS, dict, broken)).message).toContain('not JSON');
    // The labels file is never touched.
    expect(readFileSync(LABELS, 'utf8')).toContain('"CHR"');
  });
});
