/**
 * Correcting what an import could not know (issue 15.2): the patient, eye, acquisition date, device and
 * scale of one scan or of each scan of a selection.
 *
 * One edit is all or nothing: it is validated whole (domain/scan-metadata.ts, then the rules that need
 * the stored scans), the segmentations whose numbers depend on what changed are summarised again from
 * their stored label maps (analysis/resummarise.ts; the network does not run), and then every write
 * lands in one transaction with one audit row per scan holding each changed field before and after.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { AppError } from '../../../src-shared/contract';
import { resummarise, scaleDiffers } from '../../../src-shared/analysis/resummarise';
import type { PatientRecord, ScanRecord } from '../../../src-shared/domain/catalog';
import type { EyeAssessment } from '../../../src-shared/domain/laterality';
import {
  birthAcquisitionProblem,
  localToday,
  metadataProblems,
  type FieldChange,
  type MetadataProblem,
  type ScanMetadataChanges,
  type ScanUpdateResult,
} from '../../../src-shared/domain/scan-metadata';
import type { SegmentationSummary } from '../../../src-shared/domain/segmentation';
import { eyeOfScan, scaleOfScan } from '../segmentation/scan-scale';
import { currentActor, type AuditLog } from './audit';
import type { CatalogDb } from './database';
import { decodeLabelMap } from './label-map-png';
import type { PatientsRepo } from './patients';
import { ScanEditStore, type EditableScanFields } from './scan-edit-store';
import type { ScansRepo } from './scans';
import type { SegmentationsRepo, StoredSegmentation } from './segmentations';

export interface ScanEditDeps {
  db: CatalogDb;
  scans: ScansRepo;
  patients: PatientsRepo;
  segmentations: SegmentationsRepo;
  audit: AuditLog;
}

export interface ScanEditOptions {
  /** Recorded in the audit log; the OS user by default. */
  actor?: string;
  /** YYYY-MM-DD: what "in the future" is measured from (the local date by default). */
  today?: string;
}

/** The patient the selected scans will belong to, and its details after the edit. */
interface PatientPlan {
  /** null: created by this edit. */
  existing: PatientRecord | null;
  externalId: string;
  after: { name: string | null; birthDate: string | null; sex: string | null };
}

/** One scan's part of an edit. */
interface ScanPlan {
  before: ScanRecord;
  after: EditableScanFields;
  changes: FieldChange[];
  /** New summaries for its stored segmentations, by segmentation id. */
  summaries: Map<number, SegmentationSummary>;
  /** The segmentations those were computed from ("id@createdAt"): a re-run meanwhile is a conflict. */
  summarisedFrom: string[];
}

export class ScanEditService {
  private readonly store: ScanEditStore;

  constructor(private readonly deps: ScanEditDeps) {
    this.store = new ScanEditStore(deps.db);
  }

  async update(scanIds: number[], requested: ScanMetadataChanges, options: ScanEditOptions = {}): Promise<ScanUpdateResult> {
    const actor = options.actor ?? currentActor();
    const today = options.today ?? localToday();
    const changes = normalise(requested);
    refuseIf(metadataProblems(changes, today));
    const ids = [...new Set(scanIds)];
    const scans = ids.map((id) => this.deps.scans.require(id));
    const patient = this.planPatient(scans, changes);
    const plans = scans.map((scan) => planScan(scan, changes, patient, actor, today, this.deps.patients));
    refuseIf(this.dateProblems(plans, patient, changes));

    let recomputed = 0;
    for (const plan of plans) recomputed += await this.resummarise(plan);

    this.deps.db.transaction(() => {
      for (const plan of plans) this.refuseIfChanged(plan);
      const patientId = this.writePatient(patient, plans);
      for (const plan of plans) {
        if (patientId !== null) plan.after.patientId = patientId;
        if (plan.changes.length === 0 && plan.summaries.size === 0) continue;
        this.store.writeScanFields(plan.before.id, plan.after);
        for (const [segmentationId, summary] of plan.summaries) this.deps.segmentations.replaceSummary(segmentationId, summary);
        this.deps.scans.reindexSearchText(plan.before.id);
        this.deps.audit.record(actor, 'edit-metadata', plan.before.id, {
          fields: plan.changes,
          ...(plan.summaries.size ? { recomputedSegmentations: [...plan.summaries.keys()] } : {}),
          ...(plans.length > 1 ? { selection: plans.length } : {}),
        });
      }
    })();
    return { scanIds: ids, changedScans: plans.filter((p) => p.changes.length > 0).length, recomputedSegmentations: recomputed };
  }

  /** Which patient the scans end up with, or null when the edit leaves patients alone. */
  private planPatient(scans: ScanRecord[], c: ScanMetadataChanges): PatientPlan | null {
    const p = c.patient;
    if (!p) return null;
    const details = p.name !== undefined || p.birthDate !== undefined || p.sex !== undefined;
    let existing: PatientRecord | null;
    if (p.externalId !== undefined) {
      const found = this.deps.patients.findByExternalId(p.externalId);
      existing = found ? this.deps.patients.get(found.id) : null;
    } else {
      if (!details) return null;
      const without = scans.find((s) => s.patientId === null);
      if (without) refuseIf([{ field: 'patient.externalId', message: `Scan ${without.id} has no patient: give a patient id to attach it to one first` }]);
      const patientIds = new Set(scans.map((s) => s.patientId));
      if (patientIds.size > 1) {
        refuseIf([{ field: 'patient', message: `The ${scans.length} scans belong to ${patientIds.size} patients: a patient's name, birth date and sex are changed for one patient at a time` }]);
      }
      existing = this.deps.patients.get(scans[0]!.patientId!);
    }
    return {
      existing,
      externalId: p.externalId ?? existing!.externalId,
      after: {
        name: p.name !== undefined ? p.name : (existing?.name ?? null),
        birthDate: p.birthDate !== undefined ? p.birthDate : (existing?.birthDate ?? null),
        sex: p.sex !== undefined ? p.sex : (existing?.sex ?? null),
      },
    };
  }

  /** A birth date must precede every acquisition of its patient: the edited scans' and the patient's others. */
  private dateProblems(plans: ScanPlan[], patient: PatientPlan | null, c: ScanMetadataChanges): MetadataProblem[] {
    const problems: MetadataProblem[] = [];
    const push = (p: MetadataProblem | null) => {
      if (p) problems.push(p);
    };
    // the field to name: the date this edit sets, the acquisition date when it sets only that
    const blameAcquisition = c.acquiredAt !== undefined && c.patient?.birthDate === undefined;
    const edited = new Set(plans.map((p) => p.before.id));
    for (const plan of plans) {
      const birth = patient ? patient.after.birthDate : plan.before.patientId === null ? null : (this.deps.patients.get(plan.before.patientId)?.birthDate ?? null);
      const problem = birthAcquisitionProblem(birth, plan.after.acquiredAt, plan.before.id);
      push(problem && blameAcquisition ? { field: 'acquiredAt', message: `The acquisition date of scan ${plan.before.id} is not after the patient's birth date` } : problem);
    }
    if (patient?.existing && patient.after.birthDate !== patient.existing.birthDate) {
      for (const other of this.store.scansOfPatient(patient.existing.id)) {
        if (!edited.has(other.id)) push(birthAcquisitionProblem(patient.after.birthDate, other.acquiredAt, other.id));
      }
    }
    return problems.slice(0, 5);
  }

  /** New summaries for the scan's segmentations when its eye or the scale it is measured with changes. */
  private async resummarise(plan: ScanPlan): Promise<number> {
    const after: ScanRecord = { ...plan.before, ...plan.after };
    const scale = scaleOfScan(after);
    const eyeChanged = after.eye !== plan.before.eye || after.eyeSource !== plan.before.eyeSource;
    if (!eyeChanged && !scaleDiffers(scaleOfScan(plan.before), scale)) return 0;
    // the scan's eye when known (a person's now, source 'user'); a scan whose eye stays unknown keeps what
    // each segmentation found itself (its marker or anatomy), one set to unknown lets the anatomy decide
    const eye = (old: SegmentationSummary): EyeAssessment | null => (after.eye !== 'unknown' ? eyeOfScan(after) : eyeChanged ? null : old.eye);
    for (const seg of this.deps.segmentations.forScan(plan.before.id)) {
      if (!seg.summary) continue; // nothing to recompute: a mask stored without analysis
      const labels = await decodeLabelMap(seg.labelMapPng, plan.before.width, plan.before.height);
      plan.summaries.set(seg.id, resummarise({ old: seg.summary, labels, scale, eye: eye(seg.summary) }));
      plan.summarisedFrom.push(stamp(seg));
      await nextTurn(); // one segmentation per turn of the event loop: a large selection never blocks it
    }
    return plan.summaries.size;
  }

  /** CONFLICT when the scan or its segmentations changed while the edit was being prepared. */
  private refuseIfChanged(plan: ScanPlan): void {
    const now = this.deps.scans.require(plan.before.id);
    const segmentations = this.deps.segmentations.forScan(plan.before.id).filter((s) => s.summary).map(stamp);
    const sameSegmentations = plan.summaries.size === 0 || segmentations.join() === plan.summarisedFrom.join();
    if (editable(now) !== editable(plan.before) || !sameSegmentations) {
      throw new AppError('CONFLICT', `Scan ${plan.before.id} changed while this edit was being prepared; nothing was changed. Try again.`, { scanId: plan.before.id });
    }
  }

  /** Creates or updates the edit's patient; returns its id, or null when the edit leaves patients alone. */
  private writePatient(patient: PatientPlan | null, plans: ScanPlan[]): number | null {
    if (!patient) return null;
    const { existing, after } = patient;
    const before = existing ?? { name: null, birthDate: null, sex: null };
    const fields: FieldChange[] = [];
    if (after.name !== before.name) fields.push({ field: 'patient.name', before: before.name, after: after.name });
    if (after.birthDate !== before.birthDate) fields.push({ field: 'patient.birthDate', before: before.birthDate, after: after.birthDate });
    if (after.sex !== before.sex) fields.push({ field: 'patient.sex', before: before.sex, after: after.sex });
    for (const plan of plans) plan.changes.push(...fields.map((f) => ({ ...f })));
    if (!existing) return this.deps.patients.upsert(patient.externalId, after);
    if (fields.length) {
      this.deps.patients.overwrite(existing.id, after);
      // the patient's other scans are found by its new name too
      for (const other of this.store.scansOfPatient(existing.id)) this.deps.scans.reindexSearchText(other.id);
    }
    return existing.id;
  }
}

function planScan(scan: ScanRecord, c: ScanMetadataChanges, patient: PatientPlan | null, actor: string, today: string, patients: PatientsRepo): ScanPlan {
  const before = editableFields(scan);
  const after: EditableScanFields = { ...before };
  if (c.eye !== undefined) {
    after.eye = c.eye;
    after.eyeSource = c.eye === 'unknown' ? null : 'user';
    after.eyeConfidence = c.eye === 'unknown' ? null : 1;
  }
  if (c.acquiredAt !== undefined) after.acquiredAt = c.acquiredAt;
  if (c.device !== undefined) after.device = c.device;
  if (c.scale !== undefined) {
    after.axialUmPerPx = c.scale?.axialUmPerPx ?? null;
    after.lateralUmPerPx = c.scale?.lateralUmPerPx ?? null;
    after.scaleProvenance = c.scale ? 'user' : 'unknown';
    after.scaleSource = c.scale ? `entered by ${actor} on ${today}` : null;
  }
  const changes: FieldChange[] = [];
  for (const key of ['eye', 'eyeSource', 'acquiredAt', 'device', 'axialUmPerPx', 'lateralUmPerPx', 'scaleProvenance'] as const) {
    if (after[key] !== before[key]) changes.push({ field: key, before: before[key], after: after[key] });
  }
  if (changes.some((ch) => ch.field.endsWith('UmPerPx') || ch.field === 'scaleProvenance')) changes.push({ field: 'scaleSource', before: before.scaleSource, after: after.scaleSource });
  else after.scaleSource = before.scaleSource;
  if (patient) {
    const beforeId = scan.patientId === null ? null : (patients.get(scan.patientId)?.externalId ?? null);
    if (beforeId !== patient.externalId) changes.push({ field: 'patient.externalId', before: beforeId, after: patient.externalId });
    if (patient.existing) after.patientId = patient.existing.id;
  }
  return { before: scan, after, changes, summaries: new Map(), summarisedFrom: [] };
}

function editableFields(s: ScanRecord): EditableScanFields {
  return {
    patientId: s.patientId,
    eye: s.eye,
    eyeSource: s.eyeSource,
    eyeConfidence: s.eyeConfidence,
    acquiredAt: s.acquiredAt,
    device: s.device,
    axialUmPerPx: s.axialUmPerPx,
    lateralUmPerPx: s.lateralUmPerPx,
    scaleProvenance: s.scaleProvenance,
    scaleSource: s.scaleSource,
  };
}

function editable(s: ScanRecord): string {
  return JSON.stringify(editableFields(s));
}

function stamp(seg: StoredSegmentation): string {
  return `${seg.id}@${seg.createdAt}`;
}

/** Text trimmed, and an emptied optional field means "clear it". */
function normalise(c: ScanMetadataChanges): ScanMetadataChanges {
  const optional = (v: string | null | undefined) => (v === undefined ? undefined : v === null ? null : v.trim() === '' ? null : v.trim());
  const out: ScanMetadataChanges = { ...c };
  if (c.acquiredAt !== undefined) out.acquiredAt = optional(c.acquiredAt);
  if (c.device !== undefined) out.device = optional(c.device);
  if (c.patient) {
    out.patient = { ...c.patient };
    if (c.patient.externalId !== undefined) out.patient.externalId = c.patient.externalId.trim();
    if (c.patient.name !== undefined) out.patient.name = optional(c.patient.name);
    if (c.patient.birthDate !== undefined) out.patient.birthDate = optional(c.patient.birthDate);
  }
  return out;
}

/** VALIDATION naming the fields at fault (never the values typed: they may be a patient's). */
function refuseIf(problems: MetadataProblem[]): void {
  if (problems.length === 0) return;
  throw new AppError('VALIDATION', problems.map((p) => p.message).join('; '), { field: problems[0]!.field, problems });
}
