import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { evaluate } from './evaluate';
import { buildMain } from '../../../test-support/main-build';

const DATA = resolve(__dirname, '../../../../shared/data/octid-deepeye');

describe('evaluate', () => {
  it('inter-rater agreement scores only the layers the second annotator drew', async () => {
    const r = await evaluate({ imagesDir: `${DATA}/images`, referenceVgg: `${DATA}/labels-vgg.json`, againstVgg: `${DATA}/second-annotator/labels-vgg.json` }, null);
    expect(r.images).toBe(9);
    expect(r.layers.find((l) => l.layer === 'Choroid')?.iou).toBeNull();
    expect(r.layers.filter((l) => l.iou !== null)).toHaveLength(7);
    // The two people agree only modestly (README of the data: per-layer IoU ~0.3-0.87).
    expect(r.meanIoU).toBeGreaterThan(0.4);
    expect(r.meanIoU).toBeLessThan(0.8);
  });

  it('an annotation file scored against itself is perfect', async () => {
    const r = await evaluate({ imagesDir: `${DATA}/images`, referenceVgg: `${DATA}/labels-vgg.json`, againstVgg: `${DATA}/labels-vgg.json`, include: /^NORMAL16[0-2]\./ }, null);
    expect(r.images).toBe(3);
    expect(r.meanIoU).toBe(1);
    expect(r.pixelAccuracy).toBe(1);
  });

  it('the CLI runs the shipped model through the app engine on held-out scans', () => {
    buildMain();
    const out = execFileSync(process.execPath, ['bin/stratum.cjs', 'evaluate', '--images', `${DATA}/images`, '--vgg', `${DATA}/labels-vgg.json`, '--include', '^NORMAL16[0-1]\\.', '--json'], { encoding: 'utf8' });
    const r = JSON.parse(out) as { images: number; meanIoU: number; predictor: string };
    expect(r.images).toBe(2);
    expect(r.predictor).toContain('stratum-unet-light');
    expect(r.meanIoU).toBeGreaterThan(0.6);
  });
});
