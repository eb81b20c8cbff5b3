/**
 * Vendor OCT files in an import (issue 16): found by content among the files a folder scan did not take
 * for images, hashed as a whole for their identity, opened for their header (kind, count, scale, eye,
 * patient) without decoding a B-scan; the B-scans themselves are decoded and stored by the series worker.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, extname, join, relative } from 'node:path';
import { scaleFor } from '../../../src-shared/analysis/scale';
import { inferEye } from '../../../src-shared/analysis/laterality';
import type { ImportFailure, ImportSkip } from '../../../src-shared/domain/catalog';
import type { ImportFileEntry, SeriesFileFacts } from '../../../src-shared/domain/series';
import { FormatError, importFailureCode } from '../../../src-shared/formats/errors';
import { summariseSeries, type SeriesSummary } from '../../../src-shared/formats/summary';
import type { PatientFields } from '../../../src-shared/formats/types';
import type { NewScan } from '../catalog/scans';
import type { ProbedImage } from './probe';
import { AppError } from '../../../src-shared/contract';
import { detectFileFormat, openSeriesFile } from '../formats/open-series-file';
import type { Candidate, ScanResult } from './candidate';
import { recognise } from './recognise';

/** A vendor file's header, read without decoding: what the dry run lists and the scan row holds. */
export interface VendorSeries {
  summary: SeriesSummary;
  /** For the catalog's patients table only: never logged, never in a message. */
  patient: PatientFields | null;
}

/**
 * Names only vendor formats use: a file so named that its content does not match (empty, cut, another
 * version) gets the reader's clear error instead of a quiet "not an image type" skip.
 */
const VENDOR_EXTENSIONS = new Set(['.vol', '.e2e', '.fda', '.fds', '.img']);

/** What the perPatient counts call a patient whose id came from inside a file (ids stay out of summaries). */
export const PATIENT_FROM_FILE = '(from the file)';

/**
 * Probes the entries a folder scan skipped as "not an image type" by content: vendor OCT files become
 * candidates (with `series` set). A Heidelberg XML export's paired TIFFs are part of its series, so
 * they leave the list of plain images (the import summary names the pairing rule instead).
 */
export async function addVendorFiles(root: string, scan: ScanResult): Promise<ScanResult> {
  const skipped: ImportSkip[] = [];
  const vendors: Candidate[] = [];
  const failures = [...scan.failures];
  for (const entry of scan.skipped) {
    const reader = entry.reason === 'NOT_AN_IMAGE_TYPE' ? await detectFileFormat(entry.path).catch(() => null) : null;
    if (!reader && entry.reason === 'NOT_AN_IMAGE_TYPE' && VENDOR_EXTENSIONS.has(extname(entry.path).toLowerCase())) {
      const refused = await openVendorSeries(entry.path);
      failures.push(isFailureEntry(refused) ? refused : { path: entry.path, code: 'UNSUPPORTED_TYPE', message: `${entry.path}: not a recognised OCT file` });
      continue;
    }
    if (!reader) {
      skipped.push(entry);
      continue;
    }
    const relativePath = relative(root, entry.path);
    const r = recognise(relativePath, basename(root));
    vendors.push({
      path: entry.path, relativePath, line: null, patientExternalId: r.patientExternalId, patientName: null, birthDate: null, eye: r.eye,
      acquiredAt: null, device: null, tags: r.tags, octidLayout: false, axialUmPerPx: null, lateralUmPerPx: null, scaleSource: null,
      series: { format: reader.id, label: reader.label },
    });
  }
  if (vendors.length === 0) return { ...scan, skipped, failures };
  const claimed = new Set<string>();
  for (const v of vendors.filter((c) => c.series?.format === 'heidelberg-xml')) {
    const opened = await openSeriesFile(v.path).catch(() => null); // a broken export fails in its own triage
    if (!opened) continue;
    for (const file of opened.series.pairing?.files ?? []) claimed.add(join(dirname(v.path), ...file.split('/')));
    await opened.close();
  }
  const candidates = [...scan.candidates.filter((c) => !claimed.has(c.path)), ...vendors].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { candidates, failures, skipped };
}

function isFailureEntry(value: VendorSeries | ImportFailure): value is ImportFailure {
  return 'code' in value;
}

/** The identity of a vendor file: the SHA-256 of all its bytes, read as a stream (a VOL may be 100 MB). */
export async function hashVendorFile(path: string): Promise<{ sha256: string; stamp: string } | ImportFailure> {
  try {
    const info = await stat(path);
    if (info.size === 0) return { path, code: 'EMPTY_FILE', message: 'The file is empty (0 bytes)' };
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
    return { sha256: hash.digest('hex'), stamp: `${info.size}:${info.mtimeMs}` };
  } catch (error) {
    return { path, code: 'UNREADABLE_FILE', message: `The file cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
}

/** Opens a vendor file's header; a reader's refusal becomes the failure with its own clear message. */
export async function openVendorSeries(path: string): Promise<VendorSeries | ImportFailure> {
  try {
    const opened = await openSeriesFile(path);
    try {
      const p = opened.series.patient;
      return { summary: summariseSeries(opened.series), patient: p ? { ...p } : null };
    } finally {
      await opened.close();
    }
  } catch (error) {
    if (error instanceof FormatError) return { path, code: importFailureCode(error), message: error.message };
    return { path, code: 'UNREADABLE_FILE', message: `${path}: ${(error as Error).message}` };
  }
}

/** The candidate with the patient the file names, where the manifest or file name named none. */
export function withFilePatient(c: Candidate, patient: PatientFields | null): Candidate {
  if (!patient || c.patientExternalId || !patient.id) return c;
  return { ...c, patientExternalId: patient.id, patientName: patient.name ?? null, birthDate: patient.birthDate ?? null, patientFromFile: true };
}

/** The scan row of a vendor series: scale, eye, date, device and protocol from the file first. */
export function vendorScanRow(c: Candidate, v: VendorSeries, sha256: string): Omit<NewScan, 'storedFile' | 'patientId' | 'bytes'> {
  const s = v.summary;
  const given = { axialUmPerPx: c.axialUmPerPx, lateralUmPerPx: c.lateralUmPerPx, provenance: 'user' as const, ...(c.scaleSource ? { source: c.scaleSource } : {}) };
  const device = s.device ?? c.device;
  const scale = scaleFor({ width: s.width, height: s.height, device, file: s.scale, given });
  const eye = s.eye ? { value: s.eye.value, source: 'file' as const, confidence: 1 } : inferEye({ manifest: c.eye, marker: null });
  return {
    eye: eye.value,
    eyeSource: eye.source,
    eyeConfidence: eye.confidence,
    acquiredAt: s.acquired ?? c.acquiredAt,
    device,
    protocol: s.protocol,
    tags: c.tags,
    width: s.width,
    height: s.height,
    axialUmPerPx: scale.axialUmPerPx,
    lateralUmPerPx: scale.lateralUmPerPx,
    scaleProvenance: scale.provenance,
    scaleSource: scale.source ?? null,
    originalPath: c.path,
    sha256,
    mime: 'image/png',
  };
}

/** What the catalog keeps of the header beyond the scan row's columns. */
export function seriesFacts(v: VendorSeries): SeriesFileFacts {
  const s = v.summary;
  return {
    formatLabel: s.formatLabel,
    version: s.version,
    betweenBscansUm: s.scale.betweenBscansUm,
    scaleSources: { ...s.scale.sources },
    pairing: s.pairing ? { rule: s.pairing.rule, detail: s.pairing.detail } : null,
    notes: [...s.notes],
  };
}

export function vendorFileEntry(path: string, v: VendorSeries): ImportFileEntry {
  const s = v.summary;
  return { path, format: s.formatLabel, kind: s.kind, bscanCount: s.bscanCount, pairing: s.pairing ? { rule: s.pairing.rule, detail: s.pairing.detail } : null };
}

/** An image's line in the import's list of files. */
export function imageEntry(path: string, img: ProbedImage): ImportFileEntry {
  return { path, format: img.format.toUpperCase(), kind: 'single', bscanCount: 1, pairing: null };
}

/** The perPatient key: the manifest's or file name's patient id (null: none); one found inside a file is not shown. */
export function patientKey(c: Candidate): string | null {
  return c.patientFromFile ? PATIENT_FROM_FILE : c.patientExternalId;
}

/** A reader's error as the failure of its file: its own message (it names the file and the field). */
export function failureOf(path: string, error: unknown): ImportFailure {
  if (error instanceof FormatError) return { path, code: importFailureCode(error), message: error.message };
  const code = error instanceof AppError && error.code === 'TOO_LARGE' ? 'TOO_LARGE' : 'UNREADABLE_FILE';
  return { path, code, message: (error as Error).message };
}
