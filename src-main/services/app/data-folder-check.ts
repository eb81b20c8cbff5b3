import { createHash } from 'node:crypto';
import { accessSync, constants, createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataFolderCheck } from '../../../src-shared/domain/app-info';
import type { DataFolder } from '../../data-folder';
import type { JobContext } from '../../jobs/job-runner';
import type { CatalogDb } from '../catalog/database';

/**
 * Checks the data folder: writable, SQLite integrity, and that every library file still hashes to
 * its content address (library files are named `<sha256>.<ext>`).
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
  const integrity = db.pragma('integrity_check', { simple: true }) as string;

  const files = await listLibraryFiles(folder.libraryDir);
  const corruptFiles: string[] = [];
  for (const [i, file] of files.entries()) {
    await ctx.progress(0.1 + (0.9 * i) / Math.max(1, files.length), 'Verifying library files', file);
    const expected = file.split(/[\\/]/).pop()?.split('.')[0] ?? '';
    const actual = await sha256File(join(folder.libraryDir, file));
    if (expected.length === 64 && actual !== expected) corruptFiles.push(file);
  }
  await ctx.progress(1, 'Done');
  return { home: folder.home, writable, libraryFiles: files.length, corruptFiles, catalogIntegrity: integrity };
}

async function listLibraryFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
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
