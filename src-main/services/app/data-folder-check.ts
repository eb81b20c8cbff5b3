import { createHash } from 'node:crypto';
import { accessSync, constants, createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataFolderCheck, LibraryFileProblem } from '../../../src-shared/domain/app-info';
import type { DataFolder } from '../../data-folder';
import type { JobContext } from '../../jobs/job-runner';
import { integrityCheck, type CatalogDb } from '../catalog/database';
import { ScansRepo } from '../catalog/scans';

/**
 * Checks the data folder: writable, SQLite integrity, that every library file still hashes to its content
 * address (library files are named `<sha256>.<ext>`) and that every scan's stored file is there; each
 * problem names the scans stored as that file (ids only: never patient details). Only reads the catalog,
 * so it runs on a read-only connection too.
 */
export async function checkDataFolder(folder: DataFolder, db: CatalogDb, ctx: JobContext): Promise<DataFolderCheck> {
  await ctx.progress(0, 'Checking the folder is writable', folder.home);
  let writable = true;
  try {
    accessSync(folder.home, constants.W_OK);
  } catch {
    writable = false;
  }

  await ctx.progress(0.05, 'Checking catalog integrity');
  const integrity = integrityCheck(db);

  const scansByFile = new Map<string, number[]>();
  for (const r of new ScansRepo(db).storedFiles()) scansByFile.set(r.storedFile, [...(scansByFile.get(r.storedFile) ?? []), r.id]);
  const files = await listLibraryFiles(folder.libraryDir);
  const corruptFiles: LibraryFileProblem[] = [];
  for (const [i, file] of files.entries()) {
    await ctx.progress(0.1 + (0.9 * i) / Math.max(1, files.length), 'Verifying library files', file);
    const expected = file.split(/[\\/]/).pop()?.split('.')[0] ?? '';
    const actual = await sha256File(join(folder.libraryDir, file)).catch(() => null);
    if (expected.length === 64 && actual !== expected) corruptFiles.push({ file, scanIds: scansByFile.get(toStored(file)) ?? [] });
  }
  const present = new Set(files.map(toStored));
  const missingFiles = [...scansByFile].filter(([file]) => !present.has(file)).map(([file, scanIds]) => ({ file, scanIds }));
  const affectedScans = [...new Set([...corruptFiles, ...missingFiles].flatMap((p) => p.scanIds))].sort((a, b) => a - b);
  const problems = corruptFiles.length + missingFiles.length;
  await ctx.progress(1, problems === 0 ? 'Done: no problems' : `Done: ${problems} library problem${problems === 1 ? '' : 's'}, ${affectedScans.length} scan${affectedScans.length === 1 ? '' : 's'} affected`);
  return { home: folder.home, writable, libraryFiles: files.length, corruptFiles, missingFiles, affectedScans, catalogIntegrity: integrity };
}

/** Library paths as the catalog stores them (`ab/ab12...ef.jpeg`, forward slashes on every platform). */
function toStored(file: string): string {
  return file.split(/[\\/]/).join('/');
}

async function listLibraryFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isFile() && !e.name.endsWith('.tmp'))
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
