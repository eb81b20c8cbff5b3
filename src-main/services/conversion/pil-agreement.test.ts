import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { haveSharedData, sharedData } from '../../../test-support/shared-data';
import { builtInClassDictionary, lookupClass } from '../../../src-shared/annotations/classes';
import { agreement } from '../../../src-shared/annotations/rasterize';
import { parseVgg, rasterizeAnnotation } from '../../../src-shared/annotations/vgg';

const DATA = sharedData('octid-deepeye');
const HAVE_DATA = haveSharedData('octid-deepeye');
const PYTHON = '/usr/bin/python3';
const hasPil = existsSync(PYTHON) && (() => {
  try {
    execFileSync(PYTHON, ['-c', 'import PIL'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const tmp: string[] = [];
afterAll(() => tmp.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Rasterises a VGG file here and with PIL (independent reference); returns per-image agreement. */
function compareWithPil(labels: string): Map<string, number> {
  const dict = builtInClassDictionary();
  const anns = parseVgg(readFileSync(labels, 'utf8'), labels, dict);
  const labelMap: Record<string, number> = {};
  for (const a of anns) for (const p of a.polygons) labelMap[p.label] = lookupClass(dict, p.label)!;
  const out = mkdtempSync(join(tmpdir(), 'stratum-pil-'));
  tmp.push(out);
  const sizes = JSON.parse(
    execFileSync(PYTHON, [join(__dirname, 'pil-reference.py'), labels, join(DATA, 'images'), out, JSON.stringify(labelMap)], { encoding: 'utf8' }),
  ) as Record<string, [number, number]>;
  const result = new Map<string, number>();
  for (const a of anns) {
    const stem = a.filename.replace(/\.[^.]+$/, '');
    const [w, h] = sizes[stem]!;
    const ours = rasterizeAnnotation(a, w, h).mask.data;
    result.set(stem, agreement(ours, new Uint8Array(readFileSync(join(out, `${stem}.raw`)))));
  }
  return result;
}

function summary(m: Map<string, number>): string {
  const v = [...m.values()];
  return `n=${v.length} min=${(Math.min(...v) * 100).toFixed(3)}% mean=${((v.reduce((s, x) => s + x, 0) / v.length) * 100).toFixed(3)}%`;
}

describe.runIf(HAVE_DATA && hasPil)('VGG rasterisation agrees with PIL ImageDraw.polygon', () => {
  it('all 80 images of labels-vgg.json agree on >= 99.5 % of pixels', () => {
    const m = compareWithPil(join(DATA, 'labels-vgg.json'));
    console.log(`labels-vgg.json vs PIL: ${summary(m)}`);
    expect(m.size).toBe(80);
    for (const [stem, a] of m) expect(a, stem).toBeGreaterThanOrEqual(0.995);
  });

  it('the second annotator file (its own spellings) agrees too', () => {
    const m = compareWithPil(join(DATA, 'second-annotator/labels-vgg.json'));
    console.log(`second-annotator vs PIL: ${summary(m)}`);
    expect(m.size).toBe(9);
    for (const [stem, a] of m) expect(a, stem).toBeGreaterThanOrEqual(0.995);
  });
});
