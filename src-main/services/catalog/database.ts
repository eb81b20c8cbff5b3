import Database from 'better-sqlite3';
import { dirname } from 'node:path';
import { AppError } from '../../../src-shared/contract';
import { holdsCatalogLock } from './lock';
import { MIGRATIONS } from './migrations';
import { sqliteBinding } from './sqlite-binding';

export type CatalogDb = Database.Database;

/**
 * Opens (and creates/migrates) the catalog. WAL for concurrent readers, foreign keys on. Opened by the
 * holder of the catalog lock (services/container.ts), it also closes the books of processes that died
 * mid-work (see markInterruptedImports).
 */
export function openCatalogDb(path: string): CatalogDb {
  let db: CatalogDb;
  try {
    db = new Database(path, sqliteBinding());
  } catch (error) {
    throw new AppError('IO', `Cannot open the catalog at ${path}: ${(error as Error).message}`, { path });
  }
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 2000');
  migrate(db);
  // only the lock holder may judge: without the lock a 'running' row may belong to a live import elsewhere
  if (holdsCatalogLock(dirname(path))) markInterruptedImports(db);
  return db;
}

/**
 * Opens the catalog read-only and without the lock, beside whoever holds it (in WAL mode a reader sees
 * the last committed state). Null when it cannot be opened or its schema is not this version's (the
 * lock holder creates or migrates it).
 */
export function openCatalogReadOnly(path: string): CatalogDb | null {
  let db: CatalogDb;
  try {
    db = new Database(path, { ...sqliteBinding(), readonly: true, fileMustExist: true });
  } catch {
    return null;
  }
  try {
    db.pragma('busy_timeout = 2000');
    if (schemaVersion(db) === MIGRATIONS.length) return db;
  } catch {
    // unreadable as a catalog: as if there were none
  }
  db.close();
  return null;
}

/**
 * A plain connection without the lock, for the few rows a reader appends (an export's audit row):
 * SQLite serialises them with the lock holder's writes, waiting up to 10 s.
 */
export function openCatalogAppender(path: string): CatalogDb {
  const db = new Database(path, { ...sqliteBinding(), fileMustExist: true });
  db.pragma('busy_timeout = 10000');
  return db;
}

/**
 * Import runs still 'running' when the catalog lock's holder opens the catalog belong to a process that
 * died mid-import (every writer holds the lock for its whole life, and the kernel drops it on death):
 * mark them 'interrupted' so no run claims to be in progress forever. finished_at stays empty: when it
 * died is unknown. Returns how many rows were marked.
 */
export function markInterruptedImports(db: CatalogDb): number {
  return db.prepare("UPDATE import_runs SET state = 'interrupted' WHERE state = 'running'").run().changes;
}

/** SQLite's own check of the file ('ok', else what is wrong, '; '-separated). Reads only. */
export function integrityCheck(db: CatalogDb): string {
  return (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
}

export function sqliteVersion(db: CatalogDb): string {
  return (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
}

export function schemaVersion(db: CatalogDb): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies every migration newer than the file's user_version, each in its own transaction. */
export function migrate(db: CatalogDb): void {
  const current = schemaVersion(db);
  if (current > MIGRATIONS.length) {
    throw new AppError(
      'CONFLICT',
      `The catalog was written by a newer Stratum (schema ${current}, this version knows ${MIGRATIONS.length}).`,
    );
  }
  for (let version = current + 1; version <= MIGRATIONS.length; version++) {
    const sql = MIGRATIONS[version - 1] as string;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version}`);
    })();
  }
}
