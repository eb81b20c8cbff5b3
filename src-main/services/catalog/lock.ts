import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../src-shared/contract';

export const LOCK_FILE = 'catalog.lock';

const heldHere = new Set<string>();

/**
 * Takes the data folder's catalog lock (`catalog.lock` holding the owner's pid), so one process at a
 * time owns a catalog. A lock whose pid no longer runs is stale and is taken over. Returns the release
 * function. CONFLICT when another live process (or this one, twice) holds it.
 */
export function acquireCatalogLock(home: string, catalogPath: string): () => void {
  const path = join(home, LOCK_FILE);
  if (heldHere.has(path)) {
    throw new AppError('CONFLICT', `The catalog at ${catalogPath} is already open in this Stratum process (pid ${process.pid})`, { pid: process.pid });
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      heldHere.add(path);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        heldHere.delete(path);
        try {
          if (readPid(path) === process.pid) unlinkSync(path);
        } catch {
          /* already gone */
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new AppError('IO', `Cannot create the catalog lock ${path}: ${(error as Error).message}`, { path });
      }
      const pid = readPid(path);
      if (pid !== null && pid !== process.pid && isAlive(pid)) {
        throw new AppError('CONFLICT', `The catalog at ${catalogPath} is open in another Stratum process (pid ${pid})`, { pid, lockFile: path });
      }
      // stale (owner gone, or an unreadable/half-written lock): remove and retry
      try {
        unlinkSync(path);
      } catch {
        /* someone else removed it */
      }
    }
  }
  throw new AppError('CONFLICT', `Could not take the catalog lock ${path}`, { path });
}

function readPid(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
