import { readdirSync, statSync, type Dirent } from 'node:fs';
import { basename, extname, join, relative, resolve } from 'node:path';
import { AppError } from '../../../src-shared/contract';
import type { ImportSkip } from '../../../src-shared/domain/catalog';
import { IMAGE_EXTENSIONS, type Candidate, type ScanResult } from './candidate';
import { scanManifest } from './manifest';
import { recognise } from './recognise';

export { IMAGE_EXTENSIONS, type Candidate, type ScanResult };

/** Finds what to import under a folder tree, or in a CSV manifest. BAD_INPUT when the source itself is unusable. */
export function scanSource(source: string): ScanResult {
  const { path, kind } = checkSource(source);
  return kind === 'folder' ? scanFolder(path) : scanManifest(path);
}

/** Resolves an import source; BAD_INPUT unless it is a folder or a .csv file. */
export function checkSource(source: string): { path: string; kind: 'folder' | 'manifest' } {
  const path = resolve(source);
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new AppError('BAD_INPUT', `Nothing to import at ${path}: no such file or folder`, { path });
  }
  if (stat.isDirectory()) return { path, kind: 'folder' };
  if (stat.isFile() && extname(path).toLowerCase() === '.csv') return { path, kind: 'manifest' };
  throw new AppError('BAD_INPUT', `Import needs a folder or a .csv manifest: ${path}`, { path });
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
      const skip = skipReason(entry);
      if (skip) { result.skipped.push({ path: full, ...skip }); continue; }
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
  };
  walk(root);
  return result;
}

/** Why a folder entry is not imported, or null for an image file. */
function skipReason(entry: Dirent): Omit<ImportSkip, 'path'> | null {
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
