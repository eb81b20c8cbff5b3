import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../resources';
import { AppError } from '../../../src-shared/contract';
import { MIGRATIONS } from './migrations';

export type CatalogDb = Database.Database;

/**
 * Opens (and creates/migrates) the catalog. WAL for concurrent readers, foreign keys on, and an
 * exclusive-ish ownership check so two processes never write one catalog at once.
 */
export function openCatalogDb(path: string): CatalogDb {
  let db: CatalogDb;
  try {
    db = new Database(path, electronNativeBinding());
  } catch (error) {
    throw new AppError('IO', `Cannot open the catalog at ${path}: ${(error as Error).message}`, { path });
  }
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 2000');
  migrate(db);
  return db;
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

/**
 * Inside unpackaged Electron, node_modules' better-sqlite3 is built for Node; the postinstall script
 * builds an Electron copy under .native/electron (see scripts/rebuild-native-for-electron.mjs).
 */
function electronNativeBinding(): Database.Options {
  if (!process.versions.electron) return {};
  const candidate = join(packageRoot(), '.native', 'electron', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  return existsSync(candidate) ? { nativeBinding: candidate } : {};
}
