import { resolve } from 'node:path';
import type { ImportDryRun, ImportDuplicate, ImportFailure, ImportNotice, ImportResult, PatientConflictPolicy } from '../../../src-shared/domain/catalog';
import type { CatalogService } from '../catalog/catalog-service';
import type { JobContext } from '../../jobs/job-runner';
import { currentActor, type AuditLog } from '../catalog/audit';
import type { CatalogDb } from '../catalog/database';
import type { ImageLibrary } from '../catalog/library';
import type { PatientsRepo } from '../catalog/patients';
import type { NewScan, ScansRepo } from '../catalog/scans';
import type { SeriesRepo } from '../catalog/series';
import { scaleFor } from '../../../src-shared/analysis/scale';
import { countOf } from '../../../src-shared/domain/wording';
import { inferEye } from '../../../src-shared/analysis/laterality';
import { PatientConflicts, type PatientDecision } from './patient-conflicts';
import { fileStamp, isFailure, readImageFile, validateImage, type ProbedImage } from './probe';
import { scanSource, type Candidate } from './scanner';
import { AppError } from '../../../src-shared/contract';
import { storeSeriesInWorker } from './series-worker-client';
import {
  addVendorFiles, failureOf, hashVendorFile, imageEntry, openVendorSeries, patientKey, seriesFacts, vendorFileEntry, vendorScanRow, withFilePatient, type VendorSeries,
} from './vendor-import';

export interface ImportDeps {
  db: CatalogDb;
  patients: PatientsRepo;
  scans: ScansRepo;
  audit: AuditLog;
  library: ImageLibrary;
  /** Records the run (import_runs) and announces each committed step (catalog.changed). */
  catalog: Pick<CatalogService, 'changed' | 'startImportRun' | 'finishImportRun'>;
  series: SeriesRepo;
}

/**
 * Segments newly imported scans; returns how many were segmented. Set by the segmentation
 * service once it exists (`services.importer.setSegmenter(...)`); until then `--segment` reports
 * "segmentation not available".
 */
export type Segmenter = (scanIds: number[]) => Promise<number> | number;

/** Scans handed to the segmenter at a time: progress (and a cancel) between chunks; the worker batches within one. */
const SEGMENT_CHUNK = 8;

export interface ImportOptions {
  segment?: boolean;
  /** Default 'refuse': a row whose patient details conflict with the catalog's is not imported. */
  onPatientConflict?: PatientConflictPolicy;
}

/** One candidate's fate, decided the same way by the dry run and the real run. */
type Triage =
  | { kind: 'failed'; failure: ImportFailure }
  | { kind: 'restore'; scanId: number }
  | { kind: 'duplicate'; duplicate: ImportDuplicate }
  | { kind: 'new'; probed: ProbedImage; patient: Exclude<PatientDecision, { kind: 'refused' }>; notices: ImportNotice[] }
  /** A vendor OCT file: `c` carries the patient the file names; its B-scans are decoded only by the real run. */
  | { kind: 'new-series'; c: Candidate; series: VendorSeries; sha256: string; patient: Exclude<PatientDecision, { kind: 'refused' }>; notices: ImportNotice[] };

/** What one import remembers across its files: content seen (sha256 -> first path), patient decisions, hashes. */
interface Batch {
  seen: Map<string, string>;
  patients: PatientConflicts;
  /** Files hashed so far (path -> size/mtime stamp and hashes). */
  hashed: Map<string, { stamp: string; sha256: string; fileSha256: string | null }>;
}

export const UNKNOWN_PATIENT = '(unknown)';
export const UNTAGGED = '(none)';

/**
 * Bulk import: scan a folder tree or manifest, hash every file, skip content already in the catalog
 * (or earlier in the same batch) without decoding it, validate each new image (pixel budget from its
 * header, then a full decode), check its row's patient for conflicts, copy it into the library, then
 * commit it in its own transaction. Killing the process at any point and running again imports each scan once.
 */
export class ImportService {
  private segmenter: Segmenter | null = null;

  constructor(private readonly deps: ImportDeps) {}

  setSegmenter(segmenter: Segmenter | null): void {
    this.segmenter = segmenter;
  }

  /** What an import would do, without writing anything: the same decisions as `run`, per file and row. */
  async dryRun(source: string, ctx?: JobContext, options: Pick<ImportOptions, 'onPatientConflict'> = {}): Promise<ImportDryRun> {
    const root = resolve(source);
    const { candidates, failures, skipped } = await addVendorFiles(root, scanSource(root));
    const dry: ImportDryRun = {
      source: root,
      found: foundCount(candidates.length, failures),
      wouldImport: 0,
      wouldRestore: 0,
      duplicates: [],
      failed: [...failures],
      skipped,
      notices: [],
      missingScale: 0,
      missingScaleFiles: [],
      unknownEye: 0,
      perPatient: {},
      perTag: {},
      files: [],
    };
    const batch = this.batch(options.onPatientConflict);
    for (const [i, c] of candidates.entries()) {
      await ctx?.progress(i / Math.max(1, candidates.length), 'Checking', c.relativePath);
      const t = await this.triage(c, batch);
      if (t.kind === 'failed') { dry.failed.push(t.failure); continue; }
      if (t.kind === 'restore') { dry.wouldRestore++; continue; }
      if (t.kind === 'duplicate') { dry.duplicates.push(t.duplicate); continue; }
      dry.wouldImport++;
      dry.notices.push(...t.notices);
      const scan = t.kind === 'new-series' ? vendorScanRow(t.c, t.series, t.sha256) : this.describe(c, t.probed);
      dry.files.push(t.kind === 'new-series' ? vendorFileEntry(c.path, t.series) : imageEntry(c.path, t.probed));
      if (scan.scaleProvenance === 'unknown') {
        dry.missingScale++;
        dry.missingScaleFiles.push(c.path);
      }
      if (scan.eye === 'unknown') dry.unknownEye++;
      count(dry.perPatient, patientKey(t.kind === 'new-series' ? t.c : c) ?? UNKNOWN_PATIENT);
      for (const tag of c.tags.length ? c.tags : [UNTAGGED]) count(dry.perTag, tag);
    }
    return dry;
  }

  /** The import job's body. */
  async run(source: string, options: ImportOptions, ctx: JobContext): Promise<ImportResult> {
    const { db, patients, scans, audit, library, catalog } = this.deps;
    const root = resolve(source);
    const actor = currentActor();
    const { candidates, failures, skipped } = await addVendorFiles(root, scanSource(root));
    library.sweepTemporaries();
    const runId = catalog.startImportRun(root);
    const result: ImportResult = {
      source: root,
      found: foundCount(candidates.length, failures),
      imported: 0,
      restored: 0,
      duplicates: 0,
      duplicateFiles: [],
      failed: [...failures],
      skipped,
      notices: [],
      scanIds: [],
      missingScale: 0,
      unknownEye: 0,
      perPatient: {},
      perTag: {},
      files: [],
    };
    const batch = this.batch(options.onPatientConflict);
    let state: 'done' | 'cancelled' | 'failed' = 'failed';
    let announced = 0;
    const announce = () => {
      if (result.scanIds.length > announced) {
        catalog.changed('import', result.scanIds.slice(announced));
        announced = result.scanIds.length;
      }
    };
    try {
      for (const [i, c] of candidates.entries()) {
        await ctx.progress(i / Math.max(1, candidates.length), 'Importing', c.relativePath);
        const t = await this.triage(c, batch);
        if (t.kind === 'failed') { result.failed.push(t.failure); continue; }
        if (t.kind === 'restore') {
          db.transaction(() => {
            scans.restore(t.scanId);
            audit.record(actor, 'restore', t.scanId, { reason: 'imported again', source: root, path: c.path, importRun: runId });
          })();
          result.restored++;
          catalog.changed('import', [t.scanId]);
          continue;
        }
        if (t.kind === 'duplicate') {
          result.duplicates++;
          result.duplicateFiles.push(t.duplicate);
          continue;
        }
        if (t.kind === 'new-series') {
          const fraction = (done: number, total: number) => (i + done / Math.max(1, total)) / Math.max(1, candidates.length);
          const scanId = await this.importSeries(t, root, runId, actor, (done, total) => ctx.progress(fraction(done, total), 'Importing', `${c.relativePath}: B-scan ${done}/${total}`));
          if (typeof scanId !== 'number') { result.failed.push(scanId); continue; }
          result.notices.push(...t.notices);
          result.imported++;
          result.scanIds.push(scanId);
          result.files.push({ ...vendorFileEntry(c.path, t.series), scanId });
          const scan = scans.require(scanId);
          if (scan.scaleProvenance === 'unknown') result.missingScale++;
          if (scan.eye === 'unknown') result.unknownEye++;
          count(result.perPatient, patientKey(t.c) ?? UNKNOWN_PATIENT);
          for (const tag of c.tags.length ? c.tags : [UNTAGGED]) count(result.perTag, tag);
          continue;
        }
        const { probed, patient } = t;
        let storedFile: string;
        try {
          storedFile = library.store(probed.bytes, probed.sha256, probed.ext);
        } catch (error) {
          result.failed.push({ path: c.path, code: 'IO', message: (error as Error).message });
          continue;
        }
        const scan = { ...this.describe(c, probed), storedFile };
        const scanId = db.transaction(() => {
          const patientId = c.patientExternalId ? patients.upsert(c.patientExternalId, { name: c.patientName, birthDate: c.birthDate }) : null;
          const update = patient.kind === 'updated' && patientId !== null ? { patientId, ...patient } : null;
          if (update) patients.overwrite(update.patientId, update.overwrite);
          const id = scans.insert({ ...scan, patientId });
          const trimmed = probed.trailingBytes > 0 ? { trailingBytesDropped: probed.trailingBytes, fileSha256: probed.fileSha256 } : {};
          audit.record(actor, 'import', id, { source: root, path: c.path, sha256: probed.sha256, importRun: runId, ...trimmed });
          if (update) {
            // which fields changed, never their values (the audit log is no place for patient data)
            audit.record(actor, 'patient-update', id, { patientId, fields: update.notice.fields, reason: 'import --on-patient-conflict update', line: c.line, importRun: runId });
          }
          return id;
        })();
        result.notices.push(...t.notices);
        result.imported++;
        result.scanIds.push(scanId);
        result.files.push({ ...imageEntry(c.path, probed), scanId });
        if (scan.scaleProvenance === 'unknown') result.missingScale++;
        if (scan.eye === 'unknown') result.unknownEye++;
        count(result.perPatient, c.patientExternalId ?? UNKNOWN_PATIENT);
        for (const tag of c.tags.length ? c.tags : [UNTAGGED]) count(result.perTag, tag);
        if (result.scanIds.length - announced >= 50) announce();
      }
      await ctx.progress(1, 'Imported', `${result.imported} new, ${result.restored ? `${result.restored} restored, ` : ''}${countOf(result.duplicates, 'duplicate')}, ${result.failed.length} failed`);
      announce(); // the new scans are in the catalog before any segmentation of them is
      if (options.segment) {
        if (!this.segmenter) {
          result.segmentation = { requested: true, available: false, message: 'segmentation not available', queued: 0 };
        } else {
          // done here, in the import job, a chunk at a time: its progress shows (the CLI's `import --segment`),
          // Ctrl-C stops it between chunks, and the message says what was done, not "queued"
          const ids = result.scanIds;
          let segmented = 0;
          for (let i = 0; i < ids.length; i += SEGMENT_CHUNK) {
            await ctx.progress(i / ids.length, 'Segmenting', `${i}/${countOf(ids.length, 'new scan')}`);
            segmented += await this.segmenter(ids.slice(i, i + SEGMENT_CHUNK));
          }
          if (ids.length) await ctx.progress(1, 'Segmented', `${segmented}/${countOf(ids.length, 'new scan')}`);
          const message =
            ids.length === 0 ? 'no new scans to segment'
            : segmented === ids.length ? `segmented ${countOf(ids.length, 'new scan')}`
            : `segmented ${segmented} of ${countOf(ids.length, 'new scan')}; ${ids.length - segmented} could not be segmented`;
          result.segmentation = { requested: true, available: true, message, queued: ids.length };
        }
      }
      state = 'done';
      return result;
    } catch (error) {
      state = (error as { code?: string }).code === 'CANCELLED' ? 'cancelled' : 'failed';
      throw error;
    } finally {
      announce();
      const { found, imported, restored, duplicates } = result;
      catalog.finishImportRun(runId, state, { found, imported, restored, duplicates, failed: result.failed.length, skipped: result.skipped.length });
    }
  }

  private batch(policy: PatientConflictPolicy = 'refuse'): Batch {
    return { seen: new Map(), patients: new PatientConflicts(this.deps.patients, policy), hashed: new Map() };
  }

  /**
   * One candidate's fate. The file is read and hashed first: content already in the catalog or earlier
   * in the batch is a duplicate (or a restore) without being decoded; only new content is decoded and
   * validated, and only then is its row's patient checked for a conflict.
   */
  private async triage(c: Candidate, batch: Batch): Promise<Triage> {
    if (c.series) return this.triageSeries(c, batch);
    const row = c.line !== null ? { line: c.line } : {};
    // a manifest may list one file many times: unchanged since this batch hashed it, it is not read again
    const prior = batch.hashed.get(c.path);
    if (prior && prior.stamp === (await fileStamp(c.path))) {
      const known = this.knownContent(prior.sha256, prior.fileSha256, c.path, batch);
      if (known) return known;
    }
    const read = await readImageFile(c.path);
    if (isFailure(read)) return { kind: 'failed', failure: { ...read, ...row } };
    batch.hashed.set(c.path, { stamp: read.stamp, sha256: read.sha256, fileSha256: read.fileSha256 });
    const known = this.knownContent(read.sha256, read.fileSha256, c.path, batch);
    if (known) return known;
    const probed = await validateImage(c.path, read);
    if (isFailure(probed)) return { kind: 'failed', failure: { ...probed, ...row } };
    const patient = batch.patients.decide(c);
    if (patient.kind === 'refused') return { kind: 'failed', failure: patient.failure };
    batch.seen.set(read.sha256, c.path);
    const notices: ImportNotice[] = patient.kind === 'attach' ? [] : [patient.notice];
    if (probed.trailingBytes > 0) {
      notices.push({
        path: c.path,
        code: 'TRAILING_DATA_DROPPED',
        message: `${probed.trailingBytes} bytes after the image's end marker are not part of the image and were not stored (the ${probed.bytes.length}-byte image was)`,
        ...row,
      });
    }
    return { kind: 'new', probed, patient, notices };
  }

  /** A vendor file's fate: hashed whole (a duplicate is never opened), then its header read and its patient checked. */
  private async triageSeries(c: Candidate, batch: Batch): Promise<Triage> {
    const read = await hashVendorFile(c.path);
    if (isFailure(read)) return { kind: 'failed', failure: read };
    const known = this.knownContent(read.sha256, null, c.path, batch);
    if (known) return known;
    const series = await openVendorSeries(c.path);
    if (isFailure(series)) return { kind: 'failed', failure: series };
    const withPatient = withFilePatient(c, series.patient);
    const patient = batch.patients.decide(withPatient);
    if (patient.kind === 'refused') return { kind: 'failed', failure: patient.failure };
    batch.seen.set(read.sha256, c.path);
    return { kind: 'new-series', c: withPatient, series, sha256: read.sha256, patient, notices: patient.kind === 'attach' ? [] : [patient.notice] };
  }

  /**
   * Decodes and stores a vendor file's B-scans in the series worker, then writes its patient, scan row
   * and series rows in one transaction. The scan's own image is B-scan 0. Returns the scan id, or the
   * reader's failure (the batch carries on); a cancel is thrown.
   */
  private async importSeries(
    t: Extract<Triage, { kind: 'new-series' }>, root: string, runId: number, actor: string, progress: (done: number, total: number) => Promise<void>,
  ): Promise<number | ImportFailure> {
    const { db, patients, scans, audit, library, series } = this.deps;
    const { c } = t;
    let stored;
    try {
      stored = await storeSeriesInWorker({ path: c.path, libraryDir: library.dir }, progress);
    } catch (error) {
      if (error instanceof AppError && error.code === 'CANCELLED') throw error;
      return failureOf(c.path, error);
    }
    const first = stored.bscans[0]!;
    return db.transaction(() => {
      const patientId = c.patientExternalId ? patients.upsert(c.patientExternalId, { name: c.patientName, birthDate: c.birthDate }) : null;
      if (t.patient.kind === 'updated' && patientId !== null) patients.overwrite(patientId, t.patient.overwrite);
      const id = scans.insert({ ...vendorScanRow(c, t.series, t.sha256), patientId, storedFile: first.storedFile, bytes: stored.firstPngBytes });
      series.insert({ scanId: id, kind: t.series.summary.kind, format: t.series.summary.format, file: seriesFacts(t.series), ...stored });
      audit.record(actor, 'import', id, { source: root, path: c.path, sha256: t.sha256, importRun: runId, format: t.series.summary.format, bscans: stored.bscans.length });
      if (t.patient.kind === 'updated' && patientId !== null) audit.record(actor, 'patient-update', id, { patientId, fields: t.patient.notice.fields, importRun: runId });
      return id;
    })();
  }

  /** A restore or a duplicate when this content is in the catalog or earlier in the batch, else null. */
  private knownContent(sha256: string, fileSha256: string | null, path: string, batch: Batch): Triage | null {
    const { seen } = batch;
    const existing = this.deps.scans.findByHash(sha256) ?? (fileSha256 ? this.deps.scans.findByHash(fileSha256) : null);
    if (existing) {
      // a deleted scan's file imported again brings that scan back (once); otherwise it is a duplicate
      if (existing.deletedAt && !seen.has(sha256)) {
        seen.set(sha256, path);
        return { kind: 'restore', scanId: existing.id };
      }
      return { kind: 'duplicate', duplicate: { path, sha256, duplicateOf: { scanId: existing.id } } };
    }
    const earlier = seen.get(sha256);
    return earlier ? { kind: 'duplicate', duplicate: { path, sha256, duplicateOf: { path: earlier } } } : null;
  }

  private describe(c: Candidate, img: ProbedImage): Omit<NewScan, 'storedFile' | 'patientId'> & { storedFile: string; patientId: null } {
    // a manifest's spacing is the user's; else a device profile's estimate; else unknown (scaleFor)
    const given = { axialUmPerPx: c.axialUmPerPx, lateralUmPerPx: c.lateralUmPerPx, provenance: 'user' as const, ...(c.scaleSource ? { source: c.scaleSource } : {}) };
    const s = scaleFor({ width: img.width, height: img.height, device: c.device, octidLayout: c.octidLayout, given });
    const scale = { axialUmPerPx: s.axialUmPerPx, lateralUmPerPx: s.lateralUmPerPx, scaleProvenance: s.provenance, scaleSource: s.source ?? null };
    // an eye the manifest or the file name states, else the export's orientation marker (analysis/laterality)
    const eye = inferEye({ manifest: c.eye, marker: img.marker });
    return {
      patientId: null,
      eye: eye.value,
      eyeSource: eye.source,
      eyeConfidence: eye.confidence,
      acquiredAt: c.acquiredAt,
      device: c.device,
      protocol: null,
      tags: c.tags,
      width: img.width,
      height: img.height,
      ...scale,
      originalPath: c.path,
      sha256: img.sha256,
      storedFile: '',
      mime: img.mime,
      bytes: img.bytes.length,
    };
  }
}

/**
 * Entries found: the candidates plus every failure that stands for a file or a manifest row (a missing
 * file, an unsupported type, a malformed row), so that found = would import + would restore + duplicates
 * + cannot read, as the dry run shows them. A folder that cannot be listed is no entry of its own.
 */
function foundCount(candidates: number, failures: ImportFailure[]): number {
  return candidates + failures.filter((f) => f.code !== 'UNREADABLE_FOLDER').length;
}

function count(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}
