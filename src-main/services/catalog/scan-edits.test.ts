import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resummarise } from '../../../src-shared/analysis/resummarise';
import { zoneKeyOf } from '../../../src-shared/analysis/segmentation/zones';
import { AppError, type WireError } from '../../../src-shared/contract';
import type { SegmentationSummary } from '../../../src-shared/domain/segmentation';
import { haveSharedData, sharedData } from '../../../test-support/shared-data';
import { openTempCatalog, type TempCatalog } from '../../../test-support/temp-catalog';
import { createDispatcher } from '../../ipc/dispatcher';
import { createHandlers } from '../../ipc/handlers';
import { scaleOfScan } from '../segmentation/scan-scale';
import { decodeLabelMap } from './label-map-png';

const NORMAL = sharedData('octid-unannotated', 'NORMAL');
const TODAY = '2026-03-01';

/** What `fn` rejects with, as the wire carries it; fails unless it is an AppError. */
async function rejection(fn: () => Promise<unknown>): Promise<WireError> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof AppError) return error.toWire();
    throw error;
  }
  throw new Error('expected a rejection');
}

describe.runIf(haveSharedData('octid-unannotated', 'NORMAL'))('scan metadata edits on a real catalog', () => {
  let t: TempCatalog;
  let a: number;
  let b: number;
  const summaries = (scanId: number): SegmentationSummary[] => t.services.segmentations.forScan(scanId).map((s) => s.summary!);

  // Two real OCTID B-scans (Zeiss Cirrus exports: 4 µm/px axial, 8 µm/px lateral by the device profile),
  // imported and segmented by the shipped ONNX model.
  beforeAll(async () => {
    t = openTempCatalog('scan-edits');
    for (const n of [26, 27]) copyFileSync(join(NORMAL, `NORMAL${n}.jpeg`), join(t.work, `NORMAL${n}.jpeg`));
    await t.importFrom(t.work, { segment: true });
    [a, b] = t.services.scans.list({ sort: 'id', order: 'asc' }).items.map((s) => s.id) as [number, number];
    expect(summaries(a)).toHaveLength(1);
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  it('re-summarising a real run with its own scale and eye gives back its numbers, flags and reasons', async () => {
    const scan = t.services.scans.require(a);
    const seg = t.services.segmentations.forScan(a)[0]!;
    const labels = await decodeLabelMap(seg.labelMapPng, scan.width, scan.height);
    const again = resummarise({ old: seg.summary!, labels, scale: scaleOfScan(scan), eye: seg.summary!.eye });
    const numbers = (x: SegmentationSummary) => ({ layers: x.layers, total: x.total, zones: x.zones, fovea: x.fovea, flags: x.flags, eye: x.eye, scale: x.scale });
    expect(numbers(again)).toEqual(numbers(seg.summary!));
  });

  it('setting the eye OD then OS swaps nasal and temporal: the same image-side numbers change names; audited before/after', async () => {
    const edits = t.services.scanEdits;
    await edits.update([a], { eye: 'OD' }, { actor: 'dr.edit', today: TODAY });
    const od = summaries(a)[0]!;
    expect(od.eye).toEqual({ value: 'OD', source: 'user', confidence: 1 });
    expect(t.services.scans.require(a).eye).toBe('OD');
    expect(od.zones.length).toBe(5);

    const result = await edits.update([a], { eye: 'OS' }, { actor: 'dr.edit', today: TODAY });
    expect(result).toEqual({ scanIds: [a], changedScans: 1, recomputedSegmentations: 1 });
    const os = summaries(a)[0]!;
    expect(os.eye).toEqual({ value: 'OS', source: 'user', confidence: 1 });
    // zones lie where they lay on the image; what was nasal for OD is temporal for OS
    expect(os.zones).toEqual(od.zones);
    const mean = (s: SegmentationSummary, zone: 'nasalOuter' | 'temporalOuter' | 'nasalInner' | 'temporalInner') => s.total.zoneMeans[zoneKeyOf(zone, s.eye.value as 'OD' | 'OS')];
    expect(mean(os, 'nasalOuter')).toBe(mean(od, 'temporalOuter'));
    expect(mean(os, 'temporalInner')).toBe(mean(od, 'nasalInner'));
    expect(mean(os, 'nasalOuter')).not.toBe(mean(os, 'temporalOuter'));
    expect(zoneKeyOf('nasalOuter', 'OD')).toBe('rightOuter');
    expect(zoneKeyOf('nasalOuter', 'OS')).toBe('leftOuter');

    const rows = t.services.audit.forScan(a).filter((r) => r.action === 'edit-metadata');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ actor: 'dr.edit', details: { fields: [{ field: 'eye', before: 'OD', after: 'OS' }], recomputedSegmentations: [t.services.segmentations.forScan(a)[0]!.id] } });
    // the import read NORMAL26's orientation marker (OD); the person's OD is a statement of its own
    expect(rows[0]!.details!.fields).toEqual([{ field: 'eyeSource', before: 'marker', after: 'user' }]);
    expect(t.services.scans.require(a)).toMatchObject({ eye: 'OS', eyeSource: 'user', eyeConfidence: 1 });
    expect(Date.parse(rows[1]!.at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('a new axial spacing scales every µm value by the ratio; a new lateral spacing moves the zones', async () => {
    const before = summaries(b)[0]!;
    expect(before.scale).toMatchObject({ axialUmPerPx: 4, lateralUmPerPx: 8, provenance: 'device-profile' });
    await t.services.scanEdits.update([b], { scale: { axialUmPerPx: 3, lateralUmPerPx: 8 } }, { actor: 'dr.edit', today: TODAY });
    const after = summaries(b)[0]!;
    expect(after.scale).toMatchObject({ axialUmPerPx: 3, lateralUmPerPx: 8, provenance: 'user' });
    expect(after.total.mean!).toBeCloseTo((before.total.mean! * 3) / 4, 1);
    const rpe = (s: SegmentationSummary) => s.layers.find((l) => l.layer === 'RPE')!;
    expect(rpe(after).zoneMeans.centre!).toBeCloseTo((rpe(before).zoneMeans.centre! * 3) / 4, 1);
    expect(after.total.profile[400]!).toBeCloseTo((before.total.profile[400]! * 3) / 4, 1);
    expect(after.zones).toEqual(before.zones); // lateral unchanged: same columns
    const scan = t.services.scans.require(b);
    expect(scan).toMatchObject({ axialUmPerPx: 3, lateralUmPerPx: 8, scaleProvenance: 'user', scaleSource: `entered by dr.edit on ${TODAY}` });
    const audit = t.services.audit.forScan(b).filter((r) => r.action === 'edit-metadata').at(-1)!;
    expect(audit.details!.fields).toEqual([
      { field: 'axialUmPerPx', before: 4, after: 3 },
      { field: 'scaleProvenance', before: 'device-profile', after: 'user' },
      { field: 'scaleSource', before: expect.stringMatching(/^Zeiss Cirrus 750x500 export profile/), after: `entered by dr.edit on ${TODAY}` },
    ]);

    // half the lateral spacing: the 1 mm centre zone spans twice the columns
    await t.services.scanEdits.update([b], { scale: { axialUmPerPx: 3, lateralUmPerPx: 4 } }, { today: TODAY });
    const wide = summaries(b)[0]!;
    const width = (s: SegmentationSummary) => s.zones.find((z) => z.key === 'centre')!;
    expect(width(wide).endColumn - width(wide).startColumn).toBeCloseTo(2 * (width(after).endColumn - width(after).startColumn), -1);
    expect(wide.total.mean).toBe(after.total.mean);

    // clearing the stated scale brings the Cirrus profile back
    await t.services.scanEdits.update([b], { scale: null }, { today: TODAY });
    expect(summaries(b)[0]!.total.mean).toBe(before.total.mean);
    expect(summaries(b)[0]!.scale.provenance).toBe('device-profile');
  });

  it('edits a selection: device and acquisition date on both scans, one audit row each, found by the new device', async () => {
    const r = await t.services.scanEdits.update([a, b], { device: '  Heidelberg Spectralis ', acquiredAt: '2024-05-06' }, { actor: 'dr.edit', today: TODAY });
    expect(r).toMatchObject({ scanIds: [a, b], changedScans: 2 });
    for (const id of [a, b]) {
      expect(t.services.scans.require(id)).toMatchObject({ device: 'Heidelberg Spectralis', acquiredAt: '2024-05-06' });
      const row = t.services.audit.forScan(id).at(-1)!;
      expect(row.details).toMatchObject({ selection: 2, fields: [{ field: 'acquiredAt', before: null, after: '2024-05-06' }, { field: 'device', after: 'Heidelberg Spectralis' }] });
    }
    expect(t.services.scans.list({ text: 'Spectralis' }).items.map((s) => s.id).sort()).toEqual([a, b].sort());
  });

  it('attaches a selection to a patient and edits the patient; the catalog lists it with its scans', async () => {
    await t.services.scanEdits.update([a, b], { patient: { externalId: 'P-017', name: 'Test Person', birthDate: '1961-07-02', sex: 'F' } }, { actor: 'dr.edit', today: TODAY });
    const p = t.services.patients.list().find((x) => x.externalId === 'P-017')!;
    expect(p).toMatchObject({ name: 'Test Person', birthDate: '1961-07-02', sex: 'F', scanCount: 2 });
    expect(t.services.scans.require(a).patientExternalId).toBe('P-017');
    const row = t.services.audit.forScan(b).at(-1)!;
    expect(row.details!.fields).toEqual(
      expect.arrayContaining([
        { field: 'patient.externalId', before: null, after: 'P-017' },
        { field: 'patient.name', before: null, after: 'Test Person' },
        { field: 'patient.sex', before: null, after: 'F' },
      ]),
    );
    // the patient's details alone (no id): the selection is one patient, so this is allowed
    await t.services.scanEdits.update([a, b], { patient: { name: 'Test Person-Smith' } }, { today: TODAY });
    expect(t.services.patients.get(p.id)!.name).toBe('Test Person-Smith');
    expect(t.services.scans.list({ text: 'Person-Smith' }).items).toHaveLength(2);
  });

  it('refuses invalid input with VALIDATION naming the field, and changes nothing', async () => {
    const e = t.services.scanEdits;
    const before = JSON.stringify([t.services.scans.require(a), summaries(a)]);
    const auditRows = t.services.audit.forScan(a).length;
    const cases: [Parameters<typeof e.update>[1], string, RegExp][] = [
      [{ acquiredAt: '2023-02-30' }, 'acquiredAt', /acquisition date is not a real date/],
      [{ acquiredAt: '2026-03-02' }, 'acquiredAt', /acquisition date is in the future/],
      [{ acquiredAt: '1950-01-01' }, 'acquiredAt', /acquisition date of scan \d+ is not after the patient's birth date/],
      [{ patient: { birthDate: '2025-01-01' } }, 'patient.birthDate', /birth date is not before the acquisition date of scan \d+/],
      [{ patient: { birthDate: '1779-01-01' } }, 'patient.birthDate', /before 1880/],
      [{ scale: { axialUmPerPx: 0.1, lateralUmPerPx: 8 } }, 'scale.axialUmPerPx', /axial spacing must be between 0.5 and 50 µm per pixel \(got 0.1\)/],
      [{ scale: { axialUmPerPx: 4, lateralUmPerPx: 800 } }, 'scale.lateralUmPerPx', /lateral spacing must be between/],
      [{ scale: { axialUmPerPx: null, lateralUmPerPx: null } }, 'scale', /needs the axial or the lateral spacing/],
      [{ device: 'x'.repeat(201) }, 'device', /longer than 200 characters/],
      [{ patient: { externalId: '   ' } }, 'patient.externalId', /patient id is empty/],
      [{ patient: { name: 'Zyxw\nQvut' } }, 'patient.name', /control character/],
    ];
    for (const [changes, field, message] of cases) {
      const err = await rejection(() => e.update([a], changes, { today: TODAY }));
      expect(err.code, JSON.stringify(changes)).toBe('VALIDATION');
      expect(err.details?.field, JSON.stringify(changes)).toBe(field);
      expect(err.message).toMatch(message);
      // never the typed value of a patient field
      expect(err.message).not.toMatch(/Zyxw|Qvut|2025-01-01|1779/);
    }
    expect((await rejection(() => e.update([a, 999_999], { device: 'X' }, { today: TODAY }))).code).toBe('NOT_FOUND');
    expect(JSON.stringify([t.services.scans.require(a), summaries(a)])).toBe(before);
    expect(t.services.audit.forScan(a)).toHaveLength(auditRows);
  });

  it('refuses patient details for a selection of two patients, and for a scan without a patient', async () => {
    await t.services.scanEdits.update([b], { patient: { externalId: 'P-018' } }, { today: TODAY });
    const two = await rejection(() => t.services.scanEdits.update([a, b], { patient: { sex: 'M' } }, { today: TODAY }));
    expect(two).toMatchObject({ code: 'VALIDATION', details: { field: 'patient' } });
    expect(two.message).toMatch(/belong to 2 patients/);
  });

  it('through the contract: the channel refuses a malformed request and carries the service error', async () => {
    const dispatch = createDispatcher(createHandlers(t.services));
    const bad = await dispatch('catalog.updateScans', { scanIds: [a], changes: { eye: 'left' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const future = await dispatch('catalog.updateScans', { scanIds: [a], changes: { acquiredAt: '2999-01-01' } });
    expect(future).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { field: 'acquiredAt' } } });
    const ok = await dispatch('catalog.updateScans', { scanIds: [a], changes: { eye: 'OD' } });
    expect(ok).toMatchObject({ ok: true, value: { changedScans: 1, recomputedSegmentations: 1 } });
  });
});
