import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import sharp from 'sharp';
import { describe, expect, it, vi } from 'vitest';
import { createServices } from '../../services/container';
import { syntheticScan } from '../../../test-support/synthetic-scan';
import { registerExportCsv } from './export-csv';
import { registerReport } from './report';

function program(): Command {
  const p = new Command('stratum').option('--home <dir>').exitOverride();
  registerReport(p);
  registerExportCsv(p);
  return p;
}

describe('stratum report --scan / export-csv', () => {
  it('writes PDF, PNG and JSON for a catalog scan whose table matches the JSON, and exports CSV', async () => {
    const home = mkdtempSync(join(tmpdir(), 'stratum-report-cli-'));
    const s = createServices({ home, host: 'node' });
    let scanId: number;
    try {
      const syn = await syntheticScan();
      const bytes = Buffer.from(syn.image);
      const storedFile = s.library.store(bytes, 'a'.repeat(64), 'png');
      scanId = s.scans.insert({
        patientId: s.patients.upsert('P9'), eye: 'OD', acquiredAt: null, device: null, protocol: null, tags: ['NORMAL'],
        width: syn.width, height: syn.height, axialUmPerPx: 3.87, lateralUmPerPx: 11.72, scaleProvenance: 'device-profile',
        scaleSource: null, originalPath: '/x/NORMAL30.jpeg', sha256: 'a'.repeat(64), storedFile, mime: 'image/png', bytes: bytes.length,
      });
      const labelMapPng = await sharp(Buffer.from(syn.labelMap), { raw: { width: syn.width, height: syn.height, channels: 1 } }).png().toBuffer();
      s.segmentations.saveSegmentation({ scanId, kind: 'model', model: { id: 'm', version: '1' }, labelMapPng, summary: syn.summary });
    } finally {
      await s.close();
    }
    const out = mkdtempSync(join(tmpdir(), 'stratum-report-cli-out-'));
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await program().parseAsync(['node', 'stratum', '--home', home, 'report', '--scan', String(scanId), '--pdf', join(out, 'r.pdf'), '--png', join(out, 'r.png'), '--json', join(out, 'r.json')]);
      await program().parseAsync(['node', 'stratum', '--home', home, 'export-csv', '--tag', 'NORMAL', '--out', join(out, 't.csv')]);
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
    }
    const txt = execFileSync('pdftotext', ['-layout', join(out, 'r.pdf'), '-'], { encoding: 'utf8' });
    expect(txt).toContain('NORMAL30.jpeg');
    const rows = JSON.parse(readFileSync(join(out, 'r.json'), 'utf8')) as { layer: string; zone: string; thickness: number }[];
    const centreTrt = rows.find((r) => r.layer === 'TRT' && r.zone === 'centre')!.thickness;
    expect(txt).toMatch(new RegExp(`Total \\(TRT\\)(\\s+[\\d.]+){2}\\s+${centreTrt.toFixed(1).replace('.', '\\.')}\\s`));
    expect((await sharp(readFileSync(join(out, 'r.png'))).metadata()).width).toBeGreaterThanOrEqual(1600);
    const csv = readFileSync(join(out, 't.csv'), 'utf8').trimEnd().split('\n');
    expect(csv[0]!.split(',')).toContain('unit');
    expect(csv).toHaveLength(1 + 9 * 5);
  });
});
