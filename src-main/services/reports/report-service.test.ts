import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../container';
import { createReportService } from '.';
import { resultOf } from '../../../src-shared/contract/channels/jobs';
import { syntheticScan } from '../../../test-support/synthetic-scan';

let s: Services;
let home: string;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'stratum-reports-'));
  s = createServices({ home, host: 'node' });
});
afterEach(async () => {
  await s.close();
});

async function addScan(name: string, patient: string, segmented = true): Promise<number> {
  const syn = await syntheticScan();
  const bytes = Buffer.from(syn.image);
  const sha = createHash('sha256').update(bytes).update(name).digest('hex');
  const storedFile = s.library.store(bytes, sha, 'png');
  const patientId = s.patients.upsert(patient, { name: 'Test, Pat', birthDate: '1970-01-01', sex: 'M' });
  const scanId = s.scans.insert({
    patientId, eye: 'OS', acquiredAt: '2026-09-01', device: 'Synthetic', protocol: 'Line', tags: ['NORMAL'],
    width: syn.width, height: syn.height, axialUmPerPx: 3.87, lateralUmPerPx: 11.72, scaleProvenance: 'device-profile',
    scaleSource: 'test', originalPath: `/data/${name}`, sha256: sha, storedFile, mime: 'image/png', bytes: bytes.length,
  });
  if (segmented) {
    const labelMapPng = await sharp(Buffer.from(syn.labelMap), { raw: { width: syn.width, height: syn.height, channels: 1 } }).png().toBuffer();
    s.segmentations.saveSegmentation({ scanId, kind: 'model', model: { id: syn.summary.model.id, version: syn.summary.model.version }, labelMapPng, summary: syn.summary });
  }
  return scanId;
}

describe('ReportService over the catalog', () => {
  it('exports one scan as PDF and PNG and records it', async () => {
    const id = await addScan('NORMAL30.jpeg', 'P1');
    const reports = createReportService(s);
    const { path } = await reports.exportScan(id, 'pdf', join(home, 'out', 'r.pdf'));
    const txt = execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' });
    expect(txt).toContain('NORMAL30.jpeg');
    expect(txt).toContain('OS (left)');
    const png = await reports.exportScan(id, 'png');
    expect(png.path.startsWith(join(home, 'reports'))).toBe(true);
    expect((await sharp(readFileSync(png.path)).metadata()).width).toBeGreaterThanOrEqual(1600);
    expect((s.db.prepare('SELECT COUNT(*) AS n FROM reports WHERE scan_id = ?').get(id) as { n: number }).n).toBe(2);
    await expect(reports.exportScan(await addScan('b.png', 'P2', false), 'pdf')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('runs a batch job per scan and combined, reporting failures, and can be cancelled', async () => {
    const a = await addScan('a.png', 'P1');
    const b = await addScan('b.png', 'P1');
    const c = await addScan('c.png', 'P2', false);
    const reports = createReportService(s);
    const perScan = await s.jobs.wait(reports.startBatch([a, b, c], false, join(home, 'batch')));
    const r = resultOf(perScan, 'reports.batch');
    expect(r.files).toHaveLength(2);
    expect(r.failed.map((f) => f.scanId)).toEqual([c]);
    const combined = await s.jobs.wait(reports.startBatch([a, b], true, join(home, 'combined')));
    const file = resultOf(combined, 'reports.batch').files[0]!;
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Pages:\s+2/);
    const jobId = reports.startBatch([a, b], false, join(home, 'cancelled'));
    s.jobs.cancel(jobId);
    expect((await s.jobs.wait(jobId)).state).toBe('cancelled');
    expect(existsSync(join(home, 'cancelled', `scan-${b}.pdf`))).toBe(false);
    // cancelled mid-way: a combined batch leaves no partial PDF behind
    let midId = '';
    const unsubscribe = s.bus.on('job.progress', (p) => {
      if (p.jobId === midId && p.detail?.includes('(2/')) s.jobs.cancel(midId);
    });
    midId = reports.startBatch([a, b, a], true, join(home, 'mid'));
    expect((await s.jobs.wait(midId)).state).toBe('cancelled');
    unsubscribe();
    expect(existsSync(join(home, 'mid', 'reports.pdf'))).toBe(false);
  });

  it('exports thickness rows for a selection as CSV and JSON', async () => {
    await addScan('a.png', 'P1');
    await addScan('b.png', 'P2');
    await addScan('c.png', 'P2', false);
    const reports = createReportService(s);
    const csv = reports.exportThickness({ patient: 'P2' }, 'csv', join(home, 't.csv'));
    expect(csv.scans).toBe(1);
    expect(csv.skipped).toHaveLength(1);
    const lines = readFileSync(csv.path, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toMatch(/^scan_id,scan_name,patient_id,eye,eye_source,eye_confidence,acquired_at,layer,zone,thickness,unit,/);
    expect(lines).toHaveLength(1 + 9 * 5);
    const json = reports.exportThickness({}, 'json', join(home, 't.json'));
    expect(JSON.parse(readFileSync(json.path, 'utf8'))).toHaveLength(2 * 9 * 5);
  });
});
