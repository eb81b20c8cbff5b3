import { lstatSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { AppError } from '../../../src-shared/contract';
import type { ImportSkip } from '../../../src-shared/domain/catalog';
import { IMAGE_EXTENSIONS, type Candidate, type ScanResult } from './candidate';
import { scanManifest } from './manifest';
import { recognise } from './recognise';

export { IMAGE_EXTENSIONS, type Candidate, type ScanResult };

/** Finds what to import under a folder tree, in a CSV manifest, or one file. BAD_INPUT when the source itself is unusable. */
export function scanSource(source: string): ScanResult {
  const { path, kind } = checkSource(source);
  if (kind === 'file') return scanOneFile(path);
  return kind === 'folder' ? scanFolder(path) : scanManifest(path);
}

/** Resolves an import source: a folder, a .csv manifest, or one file (an image or a vendor OCT file). */
export function checkSource(source: string): { path: string; kind: 'folder' | 'manifest' | 'file' } {
  const path = resolve(source);
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new AppError('BAD_INPUT', `Nothing to import at ${path}: no such file or folder`, { path });
  }
  if (stat.isDirectory()) return { path, kind: 'folder' };
  if (stat.isFile() && extname(path).toLowerCase() === '.csv') return { path, kind: 'manifest' };
  if (stat.isFile()) return { path, kind: 'file' };
  throw new AppError('BAD_INPUT', `Import needs a folder, a .csv manifest or a file: ${path}`, { path });
}

/**
 * Every JPEG/PNG/TIFF/BMP under a folder tree, by name. Symbolic links are not followed (a link can lead
 * out of the tree or round in a loop; import the target itself), hidden entries are ignored, and every
 * other entry is listed in `skipped` with why.
 */
export function scanFolder(root: string): ScanResult {
  const result: ScanResult = { candidates: [], failures: [], skipped: [] };
  const rootName = basename(root);
  const walk = (dir: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      result.failures.push({ path: dir, code: 'UNREADABLE_FOLDER', message: `Folder cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) { walk(full); continue; }
      addEntry(result, root, rootName, full, entry);
    }
  };
  walk(root);
  return result;
}

/** One file given as the source: as a folder import of its folder would take it (a vendor file is probed by content later). */
function scanOneFile(path: string): ScanResult {
  const result: ScanResult = { candidates: [], failures: [], skipped: [] };
  const root = dirname(path);
  const info = lstatSync(path);
  addEntry(result, root, basename(root), path, { name: basename(path), isFile: () => info.isFile(), isSymbolicLink: () => info.isSymbolicLink() });
  return result;
}

type EntryKind = Pick<Dirent, 'name' | 'isFile' | 'isSymbolicLink'>;

/** An entry found: an image file becomes a candidate, anything else is skipped with why. */
function addEntry(result: ScanResult, root: string, rootName: string, full: string, entry: EntryKind): void {
  const skip = skipReason(entry);
  if (skip) { result.skipped.push({ path: full, ...skip }); return; }
  const rel = relative(root, full);
  const r = recognise(rel, rootName);
  result.candidates.push({
    path: full,
    relativePath: rel,
    line: null,
    patientExternalId: r.patientExternalId,
    patientName: null,
    birthDate: null,
    eye: r.eye,
    acquiredAt: null,
    device: r.device,
    tags: r.tags,
    octidLayout: r.octidLayout,
    axialUmPerPx: null,
    lateralUmPerPx: null,
    scaleSource: null,
  });
}

/** Why a folder entry is not imported, or null for an image file. */
function skipReason(entry: EntryKind): Omit<ImportSkip, 'path'> | null {
  if (entry.isSymbolicLink()) return { reason: 'SYMLINK', message: 'A symbolic link: links are not followed (import the file or folder it points to itself)' };
  if (!entry.isFile()) return { reason: 'NOT_A_FILE', message: 'Not a regular file (a pipe, socket or device)' };
  const ext = extname(entry.name).toLowerCase();
  if (IMAGE_EXTENSIONS.has(ext)) return null;
  // import then probes these by content (vendor-import.ts): a vendor OCT file leaves this list
  return {
    reason: 'NOT_AN_IMAGE_TYPE',
    message: `${ext ? `A ${ext} file` : 'A file without an extension'}: import reads JPEG, PNG, TIFF and BMP images and Heidelberg VOL/E2E/XML, Topcon FDA/FDS and Zeiss IMG files`,
  };
}
