import { resolve } from 'node:path';
import type { ImportDryRun, ImportDuplicate, ImportFailure, ImportResult } from '../../../src-shared/domain/catalog';
import type { EventBus } from '../../ipc/event-bus';
import type { JobContext } from '../../jobs/job-runner';
import { currentActor, type AuditLog } from '../catalog/audit';
import type { CatalogDb } from '../catalog/database';
import type { ImageLibrary } from '../catalog/library';
import type { PatientsRepo } from '../catalog/patients';
import type { NewScan, ScansRepo } from '../catalog/scans';
import { scaleFor } from '../../../src-shared/analysis/scale';
import { isFailure, probeImage, type ProbedImage } from './probe';
import { scanSource, type Candidate } from './scanner';

export interface ImportDeps {
  db: CatalogDb;
  patients: PatientsRepo;
  scans: ScansRepo;
  audit: AuditLog;
  library: ImageLibrary;
  bus: EventBus;
}

/**
 * Queues segmentation of newly imported scans; returns how many were queued. Set by the segmentation
 * service once it exists (`services.importer.setSegmenter(...)`); until then `--segment` reports
 * "segmentation not available".
 */
export type Segmenter = (scanIds: number[]) => Promise<number> | number;

export const UNKNOWN_PATIENT = '(unknown)';
export const UNTAGGED = '(none)';

/**
 * Bulk import: scan a folder tree or manifest, validate and hash every file, skip content already in
 * the catalog (or earlier in the same batch), copy each new image into the library, then commit it
 * in its own transaction. Killing the process at any point and running again imports each scan once.
 */
export class ImportService {
  private segmenter: Segmenter | null = null;

  constructor(private readonly deps: ImportDeps) {}

  setSegmenter(segmenter: Segmenter | null): void {
    this.segmenter = segmenter;
  }

  /** What an import would do, without writing anything. */
  async dryRun(source: string, ctx?: JobContext): Promise<ImportDryRun> {
    const root = resolve(source);
    const { candidates, failures } = scanSource(root);
    const failed: ImportFailure[] = [...failures];
    const duplicates: ImportDuplicate[] = [];
    const seen = new Map<string, string>();
    const perPatient: Record<string, number> = {};
    const perTag: Record<string, number> = {};
    let wouldImport = 0;
    let wouldRestore = 0;
    let missingScale = 0;
    let unknownEye = 0;
    for (const [i, c] of candidates.entries()) {
      await ctx?.progress(i / Math.max(1, candidates.length), 'Checking', c.relativePath);
      const probed = await probeImage(c.path);
      if (isFailure(probed)) { failed.push(probed); continue; }
      if (this.deletedScanOf(probed.sha256, seen) !== null) { seen.set(probed.sha256, c.path); wouldRestore++; continue; }
      const dup = this.duplicateOf(probed.sha256, seen);
      if (dup) { duplicates.push({ path: c.path, sha256: probed.sha256, duplicateOf: dup }); continue; }
      seen.set(probed.sha256, c.path);
      wouldImport++;
      const scan = this.describe(c, probed);
      if (scan.scaleProvenance === 'unknown') missingScale++;
      if (scan.eye === 'unknown') unknownEye++;
      count(perPatient, c.patientExternalId ?? UNKNOWN_PATIENT);
      for (const t of c.tags.length ? c.tags : [UNTAGGED]) count(perTag, t);
    }
    return { source: root, found: candidates.length + failures.filter((f) => f.code === 'BAD_MANIFEST_ROW').length, wouldImport, wouldRestore, duplicates, failed, missingScale, unknownEye, perPatient, perTag };
  }

  /** The import job's body. */
  async run(source: string, options: { segment?: boolean }, ctx: JobContext): Promise<ImportResult> {
    const { db, patients, scans, audit, library, bus } = this.deps;
    const root = resolve(source);
    const actor = currentActor();
    const { candidates, failures } = scanSource(root);
    library.sweepTemporaries();
    const runId = Number(
      db.prepare("INSERT INTO import_runs (source, started_at, state) VALUES (?, ?, 'running')").run(root, new Date().toISOString()).lastInsertRowid,
    );
    const result: ImportResult = {
      source: root,
      found: candidates.length + failures.filter((f) => f.code === 'BAD_MANIFEST_ROW').length,
      imported: 0,
      restored: 0,
      duplicates: 0,
      duplicateFiles: [],
      failed: [...failures],
      scanIds: [],
      missingScale: 0,
      unknownEye: 0,
      perPatient: {},
      perTag: {},
    };
    const seen = new Map<string, string>();
    let state = 'failed';
    let announced = 0;
    const announce = () => {
      if (result.scanIds.length > announced) {
        bus.emit('catalog.changed', { reason: 'import', scanIds: result.scanIds.slice(announced) });
        announced = result.scanIds.length;
      }
    };
    try {
      for (const [i, c] of candidates.entries()) {
        await ctx.progress(i / Math.max(1, candidates.length), 'Importing', c.relativePath);
        const probed = await probeImage(c.path);
        if (isFailure(probed)) { result.failed.push(probed); continue; }
        const deleted = this.deletedScanOf(probed.sha256, seen);
        if (deleted !== null) {
          db.transaction(() => {
            scans.restore(deleted);
            audit.record(actor, 'restore', deleted, { reason: 'imported again', source: root, path: c.path, importRun: runId });
          })();
          seen.set(probed.sha256, c.path);
          result.restored++;
          bus.emit('catalog.changed', { reason: 'import', scanIds: [deleted] });
          continue;
        }
        const dup = this.duplicateOf(probed.sha256, seen);
        if (dup) {
          result.duplicates++;
          result.duplicateFiles.push({ path: c.path, sha256: probed.sha256, duplicateOf: dup });
          continue;
        }
        seen.set(probed.sha256, c.path);
        let storedFile: string;
        try {
          storedFile = library.store(probed.bytes, probed.sha256, probed.ext);
        } catch (error) {
          result.failed.push({ path: c.path, code: 'IO', message: (error as Error).message });
          continue;
        }
        const scan = { ...this.describe(c, probed), storedFile };
        const scanId = db.transaction(() => {
          const patientId = c.patientExternalId
            ? patients.upsert(c.patientExternalId, { name: c.patientName, birthDate: c.birthDate })
            : null;
          const id = scans.insert({ ...scan, patientId });
          audit.record(actor, 'import', id, { source: root, path: c.path, sha256: probed.sha256, importRun: runId });
          return id;
        })();
        result.imported++;
        result.scanIds.push(scanId);
        if (scan.scaleProvenance === 'unknown') result.missingScale++;
        if (scan.eye === 'unknown') result.unknownEye++;
        count(result.perPatient, c.patientExternalId ?? UNKNOWN_PATIENT);
        for (const t of c.tags.length ? c.tags : [UNTAGGED]) count(result.perTag, t);
        if (result.scanIds.length - announced >= 50) announce();
      }
      await ctx.progress(1, 'Imported', `${result.imported} new, ${result.restored ? `${result.restored} restored, ` : ''}${result.duplicates} duplicates, ${result.failed.length} failed`);
      if (options.segment) {
        if (!this.segmenter) {
          result.segmentation = { requested: true, available: false, message: 'segmentation not available', queued: 0 };
        } else {
          const queued = result.scanIds.length ? await this.segmenter(result.scanIds) : 0;
          result.segmentation = { requested: true, available: true, message: `queued segmentation of ${queued} new scans`, queued };
        }
      }
      state = 'done';
      if (result.imported > 0) db.pragma('optimize=0x10002'); // keep the query planner's statistics fresh
      return result;
    } catch (error) {
      state = (error as { code?: string }).code === 'CANCELLED' ? 'cancelled' : 'failed';
      throw error;
    } finally {
      announce();
      db.prepare('UPDATE import_runs SET finished_at = ?, state = ?, summary_json = ? WHERE id = ?').run(
        new Date().toISOString(),
        state,
        JSON.stringify({ found: result.found, imported: result.imported, restored: result.restored, duplicates: result.duplicates, failed: result.failed.length }),
        runId,
      );
    }
  }

  /** The id of a deleted catalog scan with this content (not yet restored in this batch), else null. */
  private deletedScanOf(sha256: string, seen: Map<string, string>): number | null {
    if (seen.has(sha256)) return null;
    const existing = this.deps.scans.findByHash(sha256);
    return existing?.deletedAt ? existing.id : null;
  }

  private duplicateOf(sha256: string, seen: Map<string, string>): ImportDuplicate['duplicateOf'] | null {
    const existing = this.deps.scans.findByHash(sha256);
    if (existing) return { scanId: existing.id };
    const earlier = seen.get(sha256);
    return earlier ? { path: earlier } : null;
  }

  private describe(c: Candidate, img: ProbedImage): Omit<NewScan, 'storedFile' | 'patientId'> & { storedFile: string; patientId: null } {
    // a manifest's spacing is the user's; else a device profile's estimate; else unknown (scaleFor)
    const given = { axialUmPerPx: c.axialUmPerPx, lateralUmPerPx: c.lateralUmPerPx, provenance: 'user' as const, ...(c.scaleSource ? { source: c.scaleSource } : {}) };
    const s = scaleFor({ width: img.width, height: img.height, device: c.device, octidLayout: c.octidLayout, given });
    const scale = { axialUmPerPx: s.axialUmPerPx, lateralUmPerPx: s.lateralUmPerPx, scaleProvenance: s.provenance, scaleSource: s.source ?? null };
    return {
      patientId: null,
      eye: c.eye,
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

function count(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}
