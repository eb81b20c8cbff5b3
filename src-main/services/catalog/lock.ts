import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../src-shared/contract';
import { sqliteBinding } from './sqlite-binding';

/** Who holds the catalog: written for people and error messages only; it decides nothing. */
export const LOCK_FILE = 'catalog.lock';
/** The lock itself: a small SQLite file whose write lock (BEGIN IMMEDIATE, never committed) the owner holds. */
export const LOCK_DB_FILE = 'catalog.lock.db';

export interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
  /** Random per acquisition, so a release never removes a record written by a later owner. */
  nonce: string;
}

/** Lock database path -> the open connection holding its write lock (kept referenced so it is never collected). */
const heldHere = new Map<string, Database.Database>();

/**
 * Takes the data folder's catalog lock, so one process at a time owns a catalog. Returns the release
 * function. CONFLICT when another live process (or this one, twice) holds it.
 *
 * Why SQLite and not a pid file: acquiring SQLite's RESERVED lock (`BEGIN IMMEDIATE`) is one atomic
 * byte-range lock in the kernel, so of any number of processes racing exactly one wins, and the kernel
 * drops it when its owner exits however it exits (kill -9 included). There is no stale state to detect
 * and take over, hence no takeover race; a dead owner's leftover `catalog.lock` record is just
 * overwritten. The lock database is never deleted: unlinking it while another process has it open
 * would let a third create a fresh file and lock that one too.
 */
export function acquireCatalogLock(home: string, catalogPath: string): () => void {
  const dbPath = join(home, LOCK_DB_FILE);
  const recordPath = join(home, LOCK_FILE);
  if (heldHere.has(dbPath)) {
    throw new AppError('CONFLICT', `The catalog at ${catalogPath} is already open in this Stratum process (pid ${process.pid})`, { pid: process.pid });
  }
  let db: Database.Database;
  try {
    db = new Database(dbPath, { ...sqliteBinding(), timeout: 0 });
  } catch (error) {
    throw new AppError('IO', `Cannot create the catalog lock ${dbPath}: ${(error as Error).message}`, { path: dbPath });
  }
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') throw inUse(catalogPath, recordPath, readOwner(recordPath) ?? readLegacyPid(recordPath));
    throw new AppError('IO', `Cannot take the catalog lock ${dbPath}: ${(error as Error).message}`, { path: dbPath });
  }
  // an older Stratum (a bare pid in catalog.lock, no lock database) that is still running keeps its catalog
  const legacy = readLegacyPid(recordPath);
  if (legacy !== null && legacy !== process.pid && isAlive(legacy)) {
    db.close();
    throw inUse(catalogPath, recordPath, legacy);
  }
  const owner: LockOwner = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString(), nonce: randomBytes(12).toString('hex') };
  try {
    writeRecord(recordPath, owner);
  } catch (error) {
    db.close();
    throw new AppError('IO', `Cannot write the catalog lock record ${recordPath}: ${(error as Error).message}`, { path: recordPath });
  }
  heldHere.set(dbPath, db);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    // remove our record while still holding the lock, so it never names a process that no longer owns it
    if (readOwner(recordPath)?.nonce === owner.nonce) {
      try {
        unlinkSync(recordPath);
      } catch {
        /* already gone */
      }
    }
    heldHere.delete(dbPath);
    db.close();
  };
}

/** Whether this process holds the catalog lock of `home` (proof that no other process uses that catalog). */
export function holdsCatalogLock(home: string): boolean {
  return heldHere.has(join(home, LOCK_DB_FILE));
}

/** The current owner record, or null when absent or not a (new-style) record. */
export function readOwner(recordPath: string): LockOwner | null {
  try {
    const value = JSON.parse(readFileSync(recordPath, 'utf8')) as Partial<LockOwner>;
    return typeof value.pid === 'number' && typeof value.nonce === 'string' ? (value as LockOwner) : null;
  } catch {
    return null;
  }
}

/** The CONFLICT error, naming the owner's pid (and host, when another machine shares the folder) where known. */
function inUse(catalogPath: string, lockFile: string, owner: LockOwner | number | null): AppError {
  const pid = typeof owner === 'number' ? owner : (owner?.pid ?? null);
  const host = typeof owner === 'object' && owner !== null && owner.hostname !== hostname() ? owner.hostname : null;
  // on this host, a record naming a dead pid is a crashed owner's leftover: the live owner has not written its own yet
  const known = pid !== null && (host !== null || isAlive(pid)) ? pid : null;
  const who = known === null ? '' : host === null ? ` (pid ${known})` : ` (pid ${known} on ${host})`;
  return new AppError('CONFLICT', `The catalog at ${catalogPath} is open in another Stratum process${who}`, { pid: known, lockFile });
}

/** Stratum before the lock database wrote only its pid into catalog.lock. */
function readLegacyPid(recordPath: string): number | null {
  try {
    const text = readFileSync(recordPath, 'utf8').trim();
    if (!/^\d+$/.test(text)) return null;
    const pid = Number(text);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Temp file + rename: a reader sees the old record or the new one, never half of one. */
function writeRecord(recordPath: string, owner: LockOwner): void {
  const temp = `${recordPath}.${owner.nonce}.tmp`;
  writeFileSync(temp, `${JSON.stringify(owner)}\n`);
  try {
    renameSync(temp, recordPath);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      /* nothing to clean */
    }
    throw error;
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
